/** What a person can do to an exception. @public */
export type ExceptionAction = 'approve' | 'reject' | 'revoke' | 'renew';

/** One action for the caller: allowed, or why not (state, separation of duties, permission policy). @public */
export interface ExceptionActionDecision {
  action: ExceptionAction;
  allowed: boolean;
  /** Why the caller may not, in a sentence; absent when allowed. */
  reason?: string;
}

/** GET /v1/exceptions/{id}/actions: the actions the signed-in caller may take on the exception. @public */
export interface ExceptionViewerActions {
  exceptionId: string;
  actions: ExceptionActionDecision[];
}
