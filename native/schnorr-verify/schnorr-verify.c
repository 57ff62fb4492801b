/*
 * BIP-340 signature checks for the relay, by bitcoin-core's libsecp256k1 (Debian's
 * libsecp256k1-dev) through Node-API: about six times the rate of the same library compiled
 * to WASM (nostr-wasm), which stays the fallback where this is not built.
 *
 *   verify(message32, xonlyPubkey32, signature64) -> boolean
 *
 * A pubkey that is not on the curve is a failed check (false), as it is for libsecp256k1.
 */
#include <node_api.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <stdbool.h>

static const size_t EXPECTED_LENGTHS[3] = {32, 32, 64};

/* The bytes of argument `index`, a Uint8Array of its expected length; NULL (with a TypeError thrown) otherwise. */
static const unsigned char *bytes_of(napi_env env, napi_value value, int index) {
  bool is_typed_array = false;
  if (napi_is_typedarray(env, value, &is_typed_array) != napi_ok || !is_typed_array) {
    napi_throw_type_error(env, NULL, "verify(message, pubkey, signature) takes Uint8Arrays of 32, 32 and 64 bytes");
    return NULL;
  }
  napi_typedarray_type type;
  size_t length;
  void *data;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array ||
      length != EXPECTED_LENGTHS[index]) {
    napi_throw_type_error(env, NULL, "verify(message, pubkey, signature) takes Uint8Arrays of 32, 32 and 64 bytes");
    return NULL;
  }
  return data;
}

static napi_value verify(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  secp256k1_context *context;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || napi_get_instance_data(env, (void **)&context) != napi_ok) return NULL;
  if (argc != 3) {
    napi_throw_type_error(env, NULL, "verify(message, pubkey, signature) takes three arguments");
    return NULL;
  }
  const unsigned char *arguments[3];
  for (int index = 0; index < 3; index++) {
    arguments[index] = bytes_of(env, argv[index], index);
    if (arguments[index] == NULL) return NULL;
  }
  secp256k1_xonly_pubkey pubkey;
  int valid = secp256k1_xonly_pubkey_parse(context, &pubkey, arguments[1]) &&
              secp256k1_schnorrsig_verify(context, arguments[2], arguments[0], 32, &pubkey);
  napi_value result;
  napi_get_boolean(env, valid, &result);
  return result;
}

static void destroy_context(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  secp256k1_context_destroy(data);
}

/* Context-aware: each worker thread that loads the addon gets its own context. */
NAPI_MODULE_INIT() {
  secp256k1_context *context = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  if (context == NULL || napi_set_instance_data(env, context, destroy_context, NULL) != napi_ok) {
    napi_throw_error(env, NULL, "libsecp256k1 could not create a context");
    return NULL;
  }
  napi_value function;
  if (napi_create_function(env, "verify", NAPI_AUTO_LENGTH, verify, NULL, &function) != napi_ok ||
      napi_set_named_property(env, exports, "verify", function) != napi_ok) {
    return NULL;
  }
  return exports;
}
