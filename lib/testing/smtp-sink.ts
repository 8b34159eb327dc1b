import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

// A real SMTP server on 127.0.0.1 for tests that send mail (alert channels, password links): it
// accepts every message, without TLS or authentication, and keeps each one raw, as received.

export type SmtpSink = { port: number; url: string; mails: string[]; close(): Promise<void> };

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, done) {
      let raw = "";
      stream.on("data", (c) => (raw += c));
      stream.on("end", () => (mails.push(raw), done()));
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.server.address() as AddressInfo).port;
  return { port, url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise((r) => server.close(() => r())) };
}

/** A quoted-printable body as text: soft line breaks joined, =3D back to =. */
export const unfoldMail = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
