// Every local run is started through this small sh wrapper, the leader of the run's own process
// group. It exists for one reason: a runner killed with SIGKILL must not leave its runs working
// on unsupervised (they are marked lost and retried elsewhere). The wrapper keeps the read end of
// a pipe from the runner on fd 4; when the runner dies the pipe reaches end-of-file and the
// watcher kills the whole group. Node offers no PR_SET_PDEATHSIG, hence the pipe.
//
// It also reports the CPU time of the command and its waited-for children (`times`) on fd 3,
// which catches runs too short for the periodic /proc samples.
//
// The wrapper traps TERM with a no-op handler rather than ignoring it: an ignored signal would be
// inherited by the command, a caught one is reset to the default in it. So on cancel the command
// gets SIGTERM, and the wrapper waits for it and exits with its status (128+n when signalled).

export const LIFELINE_SCRIPT = [
  "trap : TERM INT HUP",
  "exec 4<&0",
  "( while read -r _ <&4; do :; done; kill -KILL 0 ) </dev/null >/dev/null 2>&1 3>&- &",
  "lifeline=$!",
  '"$@" </dev/null 3>&- 4<&-',
  "status=$?",
  "kill $lifeline 2>/dev/null",
  "times >&3",
  "exit $status",
].join("\n");

/** argv to spawn for a command: sh -c <script> <name> <command…> */
export function lifelineArgv(command: readonly string[]): string[] {
  return ["/bin/sh", "-c", LIFELINE_SCRIPT, "switchyard-run", ...command];
}

/**
 * Seconds of CPU from the output of `times`: two lines, the shell's user and system time and
 * then its children's, each like "0m0.004000s 0m0.012000s".
 */
export function parseTimes(text: string): number | null {
  const values = [...text.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (values.length < 4 || values.some((v) => !Number.isFinite(v))) return null;
  return values.slice(0, 4).reduce((a, b) => a + b, 0);
}
