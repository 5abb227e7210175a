import type { apiKeyRole } from '../domain/codes.js';
import type { WriteScope } from './request-context.js';

/** What an API key may do: the code list of src/domain/codes.ts (what each may do is in the README). */
export type Role = (typeof apiKeyRole.values)[number];

/** Who is calling: the API key that authenticated this request. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  /** Set for (and only for) department keys. */
  departmentId: string | null;
  /** Set for (and only for) leader keys. */
  leaderId: string | null;
  /** A key narrowed to reading: every non-GET is a 403 whatever its role. */
  readOnly: boolean;
}

// Declared here, below the modules, because the foundation's plugins (rate limit, request log,
// idempotency) read who is calling; src/modules/access/access.plugin.ts fills these in.
declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated key; null only on public routes and unmatched URLs. */
    principal: Principal | null;
    /** Who acts, for the audit trail, idempotency and logs: the API key id once authenticated. */
    actor: string;
    /** The person the calling system names in X-Actor; recorded in the audit trail, never trusted. */
    onBehalfOf: string | null;
    /** The projects this request's key may write for; repositories ask it through contextOf(request). */
    scope: WriteScope;
  }
}
