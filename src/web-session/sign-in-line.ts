/** The one wording of a printed dashboard sign-in link (the start-up summary, `payrisk start` on a real account). */
export function signInLine(url: string): string {
  return `dashboard sign-in link (one use, 15 minutes): ${url} ("npx payrisk login-link" prints a fresh one)`;
}
