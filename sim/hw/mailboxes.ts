// The mailbox models by kind: the one place a platform's `mailbox.kind` is looked up.
// Validation takes the known kinds and each kind's sides from here, the chip builder
// builds the device through it and trace headers take its register names from it. A new
// mailbox peripheral is its model file (exporting a `MailboxModel`) plus one line below.

import { LPC_MAILBOX_MODEL } from './lpc-mailbox';
import { NXP_MU_MODEL } from './nxp-mu';

export const MAILBOX_MODELS = {
  'nxp-mu': NXP_MU_MODEL,
  'lpc-mailbox': LPC_MAILBOX_MODEL,
} as const;

/** A platform's `mailbox.kind`: a key of the registry. */
export type MailboxKind = keyof typeof MAILBOX_MODELS;

/** The value of `mailbox.sides.<core>.side`, over every kind. */
export type MailboxSide = (typeof MAILBOX_MODELS)[MailboxKind]['sides'][number];

/** The known kinds, in registry order (for messages). */
export const MAILBOX_KINDS: readonly MailboxKind[] = Object.keys(MAILBOX_MODELS).filter(isMailboxKind);

export function isMailboxKind(kind: unknown): kind is MailboxKind {
  return typeof kind === 'string' && Object.hasOwn(MAILBOX_MODELS, kind);
}
