declare module 'fastify' {
  interface FastifyRequest {
    /** The request body as received, kept for the NIP-98 payload hash. */
    rawBody?: Buffer;
  }
  interface FastifyInstance {
    /** Answers with the web app's page (client-side routes), see web-app.ts. */
    sendWebApp(reply: FastifyReply): FastifyReply;
  }
}

export {};
