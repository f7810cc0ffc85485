import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Permission } from './permissions.js';
import type { AccessContext } from './access-context.js';

export const ACCESS_RULE = 'tgp:access-rule';

/**
 * Who may call a route. `public`: anyone; `signed_in`: any signed-in user (the handler limits
 * them to their own records); a permission: a user holding it somewhere, and the service then
 * checks the record against the org subtrees where it holds (out of scope reads answer 404).
 */
export type AccessRule = { kind: 'public' } | { kind: 'signed_in' } | { kind: 'permission'; permission: Permission };

export function Authorize(rule: Permission | 'signed_in' | 'public') {
  const value: AccessRule = rule === 'public' || rule === 'signed_in' ? { kind: rule } : { kind: 'permission', permission: rule };
  return SetMetadata(ACCESS_RULE, value);
}

/** The caller of a route that is not public. */
export const Access = createParamDecorator((_: unknown, ctx: ExecutionContext): AccessContext => {
  return ctx.switchToHttp().getRequest().user as AccessContext;
});
