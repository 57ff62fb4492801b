{
  "targets": [
    {
      "target_name": "schnorr_verify",
      "sources": ["schnorr-verify.c"],
      "cflags": ["-O2", "<!@(pkg-config --cflags libsecp256k1)"],
      "libraries": ["<!@(pkg-config --libs libsecp256k1)"]
    }
  ]
}
