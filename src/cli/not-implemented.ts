/** Commands whose issue has not landed yet say so plainly and exit non-zero. */
export class NotImplementedError extends Error {
  constructor(command: string, issue: string) {
    super(`"payrisk ${command}" is not implemented yet (${issue}).`);
    this.name = 'NotImplementedError';
  }
}
