// Expected failures of a command: reported as one line (no stack) with their own exit code.
// Exit code 2 means "configuration or usage": `switchyard start` does not restart a part that exits 2.

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export class PortTaken extends CliError {
  constructor(port: number, host: string, variable: string) {
    super(`port ${port} on ${host} is already in use; stop the program using it or set ${variable} to a free port`, 2);
  }
}
