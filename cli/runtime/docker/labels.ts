/*
 * Names and labels of everything lblab makes in the engine. The engine's
 * labels are the source of truth: `list`, `down` and `labs` read them, so they
 * work after a crash and from another shell.
 */

export const LABEL = {
  /** Lab name, on containers and networks. */
  lab: 'lblab.lab',
  /** server | balancer on containers; image on images. */
  role: 'lblab.role',
  /** Member name (server1, balancer). */
  server: 'lblab.server',
  /** Sample app of a server. */
  app: 'lblab.app',
  /** How the balancer reaches a server. */
  upstreamUrl: 'lblab.upstream-url',
  /** Port inside the container (servers) or published data port (balancer). */
  port: 'lblab.port',
  /** Published admin port (balancer). */
  adminPort: 'lblab.admin-port',
  /** Image kind: base | server | balancer. */
  image: 'lblab.image',
  /** Content hash an image was made from. */
  contentHash: 'lblab.content-hash',
  /** The bundle file an app image was built from (older builds of it are pruned). */
  source: 'lblab.source',
  /** lblab | haproxy | nginx (balancer). */
  balancerKind: 'lblab.balancer-kind',
  /** The repository prefix of an image lblab made (`lblab`, or a test's own), so a prune stays within it. */
  repository: 'lblab.repository',
} as const;

/** The repository prefix of the images lblab makes: lblab/server, lblab/balancer, lblab/node-base. */
export const IMAGE_REPOSITORY = 'lblab';

/** The member name of a lab's balancer. */
export const BALANCER_NAME = 'balancer';

/** Port the sample servers and the balancer's data side listen on inside containers. */
export const SERVER_CONTAINER_PORT = 3000;
export const BALANCER_CONTAINER_PORT = 8080;
export const BALANCER_CONTAINER_ADMIN_PORT = 8081;

/** Where an external balancer (HAProxy, nginx) finds its generated configuration inside its container. */
export const BALANCER_RUN_DIR_IN_CONTAINER = '/run/lblab';

/** Non-root user of every lab container. */
export const CONTAINER_UID = 10001;
export const CONTAINER_USER = `${CONTAINER_UID}:${CONTAINER_UID}`;

/** Where node lives in every base image (official and host-made). */
export const NODE_PATH_IN_IMAGE = '/usr/local/bin/node';

export function networkName(lab: string): string {
  return `lblab-${lab}`;
}

export function containerName(lab: string, member: string): string {
  return `${lab}-${member}`;
}

export function serverUrl(name: string): string {
  return `http://${name}:${SERVER_CONTAINER_PORT}`;
}

export function labFilter(lab: string): { label: string[] } {
  return { label: [`${LABEL.lab}=${lab}`] };
}

export function memberFilter(lab: string, member: string): { label: string[] } {
  return { label: [`${LABEL.lab}=${lab}`, `${LABEL.server}=${member}`] };
}
