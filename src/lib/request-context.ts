/** Who makes a change, as every write records it (audit trail, history). */
export interface RequestContext {
  /** The API key id (or "system" for the service's own writes). */
  actor: string;
  /** The key's role when the change was made. */
  actorRole?: string | null;
  /** The person the calling system named in X-Actor: recorded, not trusted. */
  onBehalfOf?: string | null;
  requestId: string;
}
