import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Which files (relative to src/) match `pattern`. */
const filesMatching = (pattern: RegExp): string[] =>
  sources(SRC)
    .filter((file) => pattern.test(readFileSync(file, 'utf8')))
    .map((file) => relative(SRC, file))
    .sort();

/**
 * The pipeline is the one path to detection, alerts and the digest in the server: no webhook
 * handler, cron or controller runs them on its own (they would run twice per tick, outside the
 * lock, or write an alert before the policies of the same run). `payrisk detect` is a one-shot
 * command the owner runs by hand, outside any server.
 */
describe('PipelineService is the only path to detect, alerts and the digest', () => {
  it('only the pipeline runs the risk alerts and writes the digest', () => {
    expect(filesMatching(/\balerts\.run\(|RiskAlertProducer\)\.run\(|\.enqueue\(\)/)).toEqual(['pipeline/pipeline.service.ts']);
    expect(filesMatching(/\bimport\b[^;]*\bRiskAlertProducer\b/)).toEqual([
      'notifications/notifications.module.ts',
      'notifications/preview/email-preview.ts',
      'pipeline/pipeline.service.ts',
    ]);
    expect(filesMatching(/\bimport\b[^;]*\bWeeklyDigestService\b/)).toEqual(['notifications/notifications.module.ts', 'pipeline/pipeline.service.ts']);
  });

  it('only the pipeline (and the one-shot `payrisk detect`) runs the detection', () => {
    expect(filesMatching(/\bimport\b[^;]*\bRiskAssessmentService\b[\s\S]*\.run\(/)).toEqual(['cli/commands/detect.command.ts', 'pipeline/pipeline.service.ts']);
  });
});
