import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../../errors.js';
import type { BaseImage } from './base-image.js';
import type { DockerClient } from './docker-client.js';
import { isEngineError } from './engine-error.js';
import { CONTAINER_USER, IMAGE_REPOSITORY, LABEL, NODE_PATH_IN_IMAGE } from './labels.js';
import { packTar } from './tar-pack.js';

export type AppKind = 'server' | 'balancer';

export interface AppImage {
  readonly ref: string;
  readonly id: string;
  /** False when an image with the same content was reused. */
  readonly built: boolean;
}

export interface EnsureAppImageOptions {
  readonly client: DockerClient;
  readonly kind: AppKind;
  /** The bundled program, e.g. dist/balancer.js. */
  readonly bundlePath: string;
  readonly base: BaseImage;
  /** Build even when an image of this content exists (with no build cache, so the id changes). */
  readonly rebuild: boolean;
  readonly log: (line: string) => void;
  /** Repository prefix: `<repository>/<kind>:<hash>` (default lblab). */
  readonly repository?: string;
}

/** The bundles are ES modules; /app/package.json says so to node. */
const PACKAGE_JSON = '{ "type": "module" }\n';

function dockerfileBody(base: BaseImage, bundleFile: string): string {
  return [
    `FROM ${base.ref}`,
    `COPY package.json ${bundleFile} /app/`,
    'WORKDIR /app',
    `USER ${CONTAINER_USER}`,
    'ENV NODE_ENV=production',
    `ENTRYPOINT ["${NODE_PATH_IN_IMAGE}", "/app/${bundleFile}"]`,
  ].join('\n');
}

/** sha256 (hex) of what makes the image: the bundle, the base image id and the Dockerfile. */
export function appContentHash(bundle: Buffer, baseId: string, dockerfile: string): string {
  return createHash('sha256').update(bundle).update(`\n${baseId}\n`).update(dockerfile).digest('hex');
}

async function readBundle(bundlePath: string): Promise<Buffer> {
  try {
    return await readFile(bundlePath);
  } catch (error) {
    throw new LabError('LBLAB_NOT_READY', `the bundle ${bundlePath} is missing; run \`npm run build\` first`, { cause: error });
  }
}

/**
 * Removes older builds of the same bundle file that nothing uses any more
 * (best effort): a checkout's stale images go, other checkouts' stay.
 */
async function pruneOlder(client: DockerClient, kind: AppKind, source: string, repository: string, keepId: string): Promise<void> {
  const images = await client.listImages({ label: [`${LABEL.image}=${kind}`, `${LABEL.source}=${source}`] }).catch(() => []);
  for (const image of images) {
    if (image.Id === keepId) continue;
    // Only this repository's builds (images made before the label was added were lblab's own).
    if ((image.Labels?.[LABEL.repository] ?? IMAGE_REPOSITORY) !== repository) continue;
    // Without force, an image a container still uses stays (409 conflict).
    await client.removeImage(image.Id, { force: false }).catch((error: unknown) => {
      if (!isEngineError(error)) throw error;
    });
  }
}

/**
 * `lblab/<kind>:<content hash>`: the bundle on the base image, non-root.
 * Reused while bundle, base and Dockerfile are unchanged; built with the
 * classic builder from an in-memory context otherwise.
 */
export async function ensureAppImage(options: EnsureAppImageOptions): Promise<AppImage> {
  const { client, kind, base } = options;
  const bundle = await readBundle(options.bundlePath);
  const bundleFile = kind === 'balancer' ? 'balancer.js' : 'sample-server.js';
  const body = dockerfileBody(base, bundleFile);
  const hash = appContentHash(bundle, base.id, body);
  const repository = options.repository ?? IMAGE_REPOSITORY;
  const ref = `${repository}/${kind}:${hash.slice(0, 12)}`;

  const existing = await client.inspectImage(ref);
  if (existing !== undefined && !options.rebuild) return { ref, id: existing.Id, built: false };

  const source = path.resolve(options.bundlePath);
  const dockerfile = `${body}\nLABEL ${LABEL.role}=image ${LABEL.image}=${kind} ${LABEL.contentHash}=${hash} ${LABEL.source}=${JSON.stringify(source)} ${LABEL.repository}=${repository}\n`;
  const startedAt = Date.now();
  await client.buildImage(
    packTar([
      { type: 'file', name: 'Dockerfile', mode: 0o644, content: dockerfile },
      { type: 'file', name: 'package.json', mode: 0o644, content: PACKAGE_JSON },
      { type: 'file', name: bundleFile, mode: 0o644, content: bundle },
    ]),
    { ref, noCache: options.rebuild },
  );
  const built = await client.inspectImage(ref);
  if (built === undefined) throw new LabError('LBLAB_ENGINE', `built ${ref} but the engine does not list it`);
  options.log(`built image ${ref} from ${path.basename(options.bundlePath)} in ${Date.now() - startedAt} ms`);
  await pruneOlder(client, kind, source, repository, built.Id);
  return { ref, id: built.Id, built: true };
}
