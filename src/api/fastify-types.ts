declare module 'fastify' {
  interface FastifyRequest {
    /** The request body as received, kept for the NIP-98 payload hash. */
    rawBody?: Buffer;
  }
}

export {};
