"use client";

import { useId, useRef, useState } from "react";
import { dialogClass } from "@/components/actions/action-dialog-client";
import { withIntent } from "@/components/actions/action-requests";
import { BUTTON, FIELD } from "@/components/actions/button-styles";
import { DialogFooter, keepWhileWorking } from "@/components/actions/dialog-footer";
import { ReasonField } from "@/components/actions/reason-field";
import { useHydrated } from "@/components/actions/use-hydrated";
import { useOperatorAction } from "@/components/actions/use-operator-action";
import { emailLinkChoice } from "@/components/people/email-link-choice";
import { roles, type Role } from "@/lib/auth/roles";

// Invite someone: their e-mail, name and role; the answer is a one-time link (shown once, in the
// dialog, by ActionResult) that the admin sends them, and with which they set their own password.


/** emailChannels: the e-mail alert channels whose SMTP server can send the link too (lib/control/email-link.ts). */
export function InviteAction({ emailChannels = [] }: { emailChannels?: string[] }) {
  const hydrated = useHydrated();
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = { title: useId(), reason: useId() };
  const [form, setForm] = useState<{ email: string; name: string; role: Role }>({ email: "", name: "", role: "viewer" });
  const [emailVia, setEmailVia] = useState("");
  const emailChoice = emailLinkChoice(emailChannels);
  const [reason, setReason] = useState("");
  const action = useOperatorAction();

  function open() {
    action.reset();
    setForm({ email: "", name: "", role: "viewer" });
    setEmailVia("");
    setReason("");
    dialog.current?.showModal();
  }
  function confirm(event: React.FormEvent) {
    event.preventDefault();
    action.send(withIntent({ url: "/api/v1/users", body: emailVia ? { ...form, emailVia } : form }, reason));
  }

  const done = action.isSuccess;
  return (
    <>
      <button type="button" className={BUTTON.default} onClick={open} disabled={!hydrated} aria-haspopup="dialog">
        Invite someone…
      </button>
      <dialog ref={dialog} aria-labelledby={ids.title} onCancel={keepWhileWorking(action)} className={dialogClass("32rem")}>
        <form onSubmit={confirm} className="space-y-4 p-5">
          <h2 id={ids.title} className="text-lg font-semibold">
            Invite someone
          </h2>
          <fieldset className="space-y-3 text-sm" disabled={done}>
            <label className="block space-y-1">
              <span>E-mail address (their sign-in name)</span>
              <input type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} className={FIELD} />
            </label>
            <label className="block space-y-1">
              <span>Name</span>
              <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} className={FIELD} />
            </label>
            <label className="block space-y-1">
              <span>Role</span>
              <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} className={FIELD}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
            {emailChoice ? (
              <label className="block space-y-1">
                <span>{emailChoice.label}</span>
                <select value={emailVia} onChange={(e) => setEmailVia(e.target.value)} className={FIELD}>
                  {emailChoice.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </fieldset>
          {!done ? <ReasonField id={ids.reason} value={reason} onChange={setReason} /> : null}
          <DialogFooter
            action={action}
            done={done}
            onClose={() => dialog.current?.close()}
            confirmLabel="Invite and make the link"
          />
        </form>
      </dialog>
    </>
  );
}
