import type { LabRuntimeInfo, ServerLaunch } from '../runtime.js';
import type { ServiceSpec } from '../docker/docker-client.js';
import { serverEnv, serverLabels, type ContainerLimits } from '../docker/container-specs.js';
import { CONTAINER_USER, networkName } from '../docker/labels.js';
import { serviceName } from './swarm-labels.js';

const TMP_SIZE_BYTES = 16 * 1024 * 1024;

/**
 * A sample server as a one-replica service on the lab's overlay network.
 * dnsrr: the server's name resolves to its task's own address, so the
 * balancer talks to the server with no IPVS virtual IP in between (the lab
 * measures the balancer, not Swarm's load balancing). SIGKILL with no grace
 * is the stop signal, so scaling to 0 is `kill`. Restart condition none: a
 * server that dies stays down until `revive`, as on Docker.
 */
export function serverServiceSpec(
  lab: LabRuntimeInfo,
  server: ServerLaunch,
  image: string,
  limits: ContainerLimits,
  /** Placement constraints, e.g. node.id==abc for `--placement local`; none: the scheduler spreads. */
  constraints: readonly string[],
): ServiceSpec {
  const labels = serverLabels(lab, server);
  return {
    Name: serviceName(lab.lab, server.name),
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        Hostname: server.name,
        User: CONTAINER_USER,
        Env: serverEnv(lab, server),
        // The task's container carries the lab's labels too: `docker ps --filter label=lblab.lab=...` shows it.
        Labels: labels,
        StopSignal: 'SIGKILL',
        StopGracePeriod: 0,
        ReadOnly: limits.readonlyRootfs,
        Mounts: [{ Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: TMP_SIZE_BYTES } }],
        CapabilityDrop: ['ALL'],
      },
      Resources: { Limits: { NanoCPUs: limits.nanoCpus, MemoryBytes: limits.memoryBytes, Pids: limits.pidsLimit } },
      RestartPolicy: { Condition: 'none' },
      // No constraint: the scheduler's own rule (fewest tasks first) spreads one-replica services across nodes.
      ...(constraints.length === 0 ? {} : { Placement: { Constraints: [...constraints] } }),
      Networks: [{ Target: networkName(lab.lab), Aliases: [server.name] }],
      LogDriver: { Name: 'json-file', Options: { 'max-size': '10m', 'max-file': '2' } },
    },
    Mode: { Replicated: { Replicas: 1 } },
    EndpointSpec: { Mode: 'dnsrr' },
  };
}

/** The same spec with another replica count (0: killed, 1: running). */
export function withReplicas(spec: ServiceSpec, replicas: number): ServiceSpec {
  return { ...spec, Mode: { Replicated: { Replicas: replicas } } };
}
