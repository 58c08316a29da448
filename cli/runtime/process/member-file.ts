import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MemberRole } from '../runtime.js';
import { labDir } from '../../paths.js';

/** How the process runtime remembers a member it started, so any later command can find and revive it. */
export interface ProcessMemberFile {
  readonly name: string;
  readonly role: MemberRole;
  readonly pid: number;
  readonly port: number;
  readonly adminPort?: number;
  readonly upstreamUrl?: string;
  readonly program: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  readonly startedAt: string;
  /** Kill, pause and unpause the process group (HAProxy's and nginx's workers with their master). */
  readonly processGroup?: boolean;
}

export function processDir(lab: string): string {
  return path.join(labDir(lab), 'process');
}

export function logFileOf(lab: string, name: string): string {
  return path.join(labDir(lab), 'logs', `${name}.log`);
}

export async function writeMemberFile(lab: string, member: ProcessMemberFile): Promise<void> {
  await mkdir(processDir(lab), { recursive: true });
  await writeFile(path.join(processDir(lab), `${member.name}.json`), `${JSON.stringify(member, null, 2)}\n`);
}

export async function readMemberFile(lab: string, name: string): Promise<ProcessMemberFile | undefined> {
  try {
    return JSON.parse(await readFile(path.join(processDir(lab), `${name}.json`), 'utf8')) as ProcessMemberFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function readMemberFiles(lab: string): Promise<ProcessMemberFile[]> {
  let entries: string[];
  try {
    entries = await readdir(processDir(lab));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const members = await Promise.all(
    entries.filter((entry) => entry.endsWith('.json')).map((entry) => readMemberFile(lab, entry.slice(0, -'.json'.length))),
  );
  return members.filter((member): member is ProcessMemberFile => member !== undefined);
}

export async function removeMemberFile(lab: string, name: string): Promise<void> {
  await rm(path.join(processDir(lab), `${name}.json`), { force: true });
}
