// lblab's images in the local engine (label lblab.role=image), and removing
// them for a cold start when no container, of any lab, uses them.
import { runCommand } from './run-command.mjs';

const IMAGE_FILTER = 'label=lblab.role=image';

export async function dockerAnswers() {
  const result = await runCommand('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 5000 });
  return result.code === 0 ? { ok: true, version: result.stdout.trim() } : { ok: false, reason: (result.stderr || result.stdout).trim().split('\n')[0] };
}

/** @returns {Promise<{ removed: string[] } | { skipped: string }>} */
export async function removeLblabImages() {
  const list = await runCommand('docker', ['images', '--filter', IMAGE_FILTER, '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'], { timeoutMs: 10_000 });
  if (list.code !== 0) return { skipped: `docker images failed: ${list.stderr.trim()}` };
  const images = list.stdout.trim().split('\n').filter(Boolean).map((line) => {
    const [id, ref] = line.split(' ');
    return { id, ref };
  });
  if (images.length === 0) return { removed: [] };
  const users = [];
  for (const image of images) {
    const ps = await runCommand('docker', ['ps', '-a', '--filter', `ancestor=${image.id}`, '--format', '{{.Names}}'], { timeoutMs: 10_000 });
    users.push(...ps.stdout.trim().split('\n').filter(Boolean));
  }
  if (users.length > 0) return { skipped: `lblab images are in use by ${[...new Set(users)].join(', ')}; kept them` };
  // App images first, the base they are built on last; refs untag precisely (no -f).
  const refs = images.map((image) => (image.ref.endsWith(':<none>') ? image.id : image.ref)).sort((a, b) => Number(a.includes('base')) - Number(b.includes('base')));
  const removal = await runCommand('docker', ['rmi', ...new Set(refs)], { timeoutMs: 60_000 });
  if (removal.code !== 0) return { skipped: `docker rmi failed: ${(removal.stderr || removal.stdout).trim().split('\n')[0]}` };
  const left = await runCommand('docker', ['images', '-q', '--filter', IMAGE_FILTER], { timeoutMs: 10_000 });
  if (left.stdout.trim() !== '') return { skipped: `docker rmi left ${left.stdout.trim().split('\n').length} lblab images` };
  return { removed: refs };
}

/** Names of containers and networks still labelled with `lab`. */
export async function leftoversOf(lab) {
  const containers = await runCommand('docker', ['ps', '-a', '--filter', `label=lblab.lab=${lab}`, '--format', '{{.Names}}'], { timeoutMs: 10_000 });
  const networks = await runCommand('docker', ['network', 'ls', '--filter', `label=lblab.lab=${lab}`, '--format', '{{.Name}}'], { timeoutMs: 10_000 });
  return [...containers.stdout.trim().split('\n'), ...networks.stdout.trim().split('\n')].filter(Boolean);
}

/** Last resort after a failed `lblab down`: removes the lab's containers and network by label. */
export async function forceRemoveLab(lab) {
  const containers = await runCommand('docker', ['ps', '-aq', '--filter', `label=lblab.lab=${lab}`], { timeoutMs: 10_000 });
  const ids = containers.stdout.trim().split('\n').filter(Boolean);
  if (ids.length > 0) await runCommand('docker', ['rm', '-f', ...ids], { timeoutMs: 30_000 });
  const networks = await runCommand('docker', ['network', 'ls', '-q', '--filter', `label=lblab.lab=${lab}`], { timeoutMs: 10_000 });
  const networkIds = networks.stdout.trim().split('\n').filter(Boolean);
  if (networkIds.length > 0) await runCommand('docker', ['network', 'rm', ...networkIds], { timeoutMs: 30_000 });
}
