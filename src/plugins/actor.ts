import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting, for the audit trail. Until authentication exists: X-Actor or 'anonymous'. */
    actor: string;
  }
}

const ACTOR_PATTERN = /^[\p{L}\p{N} ._@:-]{1,100}$/u;

export const actorPlugin = fp(
  async function actor(app) {
    app.decorateRequest('actor', 'anonymous');
    app.addHook('onRequest', async (request) => {
      const header = request.headers['x-actor'];
      const value = Array.isArray(header) ? header[0] : header;
      request.actor = value && ACTOR_PATTERN.test(value) ? value : 'anonymous';
    });
  },
  { name: 'actor' },
);
