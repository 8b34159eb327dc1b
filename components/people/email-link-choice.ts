import type { ActionChoice } from "@/components/actions/action-dialog-client";

/**
 * "E-mail them the link": the invitation's and the password link's choice of an e-mail channel
 * whose mail server sends the link too (lib/control/email-link.ts); none when there is no such channel.
 */
export function emailLinkChoice(emailChannels: string[]): ActionChoice | undefined {
  if (emailChannels.length === 0) return undefined;
  return {
    label: "E-mail them the link (with an e-mail channel's mail server)",
    field: "emailVia",
    options: [{ value: "", label: "No: I will send it myself" }, ...emailChannels.map((c) => ({ value: c, label: `Yes, through the channel ${c}` }))],
  };
}
