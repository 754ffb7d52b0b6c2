import { loadPolicyFile, type PolicyFile } from '../../config';

/**
 * Added accounts' policy files, each read and validated once per process (`payrisk accounts
 * add --config` validated it already; a file broken since then fails that account's work
 * with the ConfigError naming the file and the key, not every account's).
 */
export class PolicyFiles {
  private readonly loaded = new Map<string, PolicyFile>();

  load(path: string): PolicyFile {
    let policy = this.loaded.get(path);
    if (!policy) {
      policy = loadPolicyFile(path);
      this.loaded.set(path, policy);
    }
    return policy;
  }
}
