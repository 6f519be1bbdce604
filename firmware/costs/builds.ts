// The instruction tables of rpmsg-lite, one per compiler build (-mcpu × -O level), generated
// from a typed transcription of COSTS §7 (instructions per call, total and lib-only, on
// Cortex-M0+, M33, M7 and M4 at -O2, -O3 and -Os; arm-none-eabi-gcc 12.2.1, executed under
// qemu-arm) by the method of the first M4 table: a path's own instructions are its lib-only
// count minus the shared-memory accesses it makes (timed by the bus: §5 for the vrings, the
// same on every build; the header as §5 on ARMv7E-M/ARMv8-M and byte-wise as §7 on ARMv6-M)
// minus its DSBs (timed by the core; §2, the same on every build). Rows §7 lacks are the M4
// -O2 figure scaled by the build's measured lib-only ratio over the hot paths, each marked as
// an assumption with its ratio. Code sizes are measured (measured-sizes.ts); private
// loads/stores (`data`) are the §2/§7 counts minus the shared accesses, scaled where §7 has
// none (marked). Every entry's source names the row it came from and what was subtracted.

import type { CostEntry, CostPath, InstructionTable, RlCostName, PortCostName, EnvCostName } from './table';
import type { Isa } from './libc';
import { LIBC_MODELS } from './libc';
import { RPMSG_LITE_SIZES } from './measured-sizes';

/** The compiler optimisation levels measured. */
export const OPT_LEVELS = ['O2', 'O3', 'Os'] as const;
export type OptLevel = (typeof OPT_LEVELS)[number];

export function isOptLevel(name: string): name is OptLevel {
  return (OPT_LEVELS as readonly string[]).includes(name);
}

/** The -mcpu builds measured, and the instruction set each targets. */
export const BUILD_CPUS = ['cortex-m0plus', 'cortex-m33', 'cortex-m7', 'cortex-m4'] as const;
export type BuildCpu = (typeof BUILD_CPUS)[number];
export const BUILD_ISA: Readonly<Record<BuildCpu, Isa>> = { 'cortex-m0plus': 'armv6-m', 'cortex-m33': 'armv8-m.main', 'cortex-m7': 'armv7e-m', 'cortex-m4': 'armv7e-m' };

export type BuildKey = `${BuildCpu}/${OptLevel}`;
/** The §7 columns, in the table's order. */
const COLUMNS: readonly BuildKey[] = BUILD_CPUS.flatMap((cpu) => OPT_LEVELS.map((opt) => `${cpu}/${opt}` as BuildKey));

/** The key of a build's instruction table. */
export function basisOf(cpu: BuildCpu, opt: OptLevel): string {
  return `${cpu}/gcc-12.2.1-${opt}`;
}

interface Counts {
  readonly total: number;
  readonly lib: number;
}
interface S7Row {
  readonly label: string;
  readonly counts: Readonly<Record<BuildKey, Counts>>;
}

/** One §7 row: its label and the 12 "total/lib-only" cells in column order. */
function row(label: string, cells: string): S7Row {
  const parts = cells.split(' ');
  if (parts.length !== COLUMNS.length) throw new Error(`COSTS §7 row "${label}": ${parts.length} cells`);
  const counts = {} as Record<BuildKey, Counts>;
  COLUMNS.forEach((key, i) => {
    const [total, lib] = parts[i]!.split('/').map(Number);
    counts[key] = { total: total!, lib: lib! };
  });
  return { label, counts };
}

/** COSTS §7 "Instructions per call, total/lib-only", transcribed. */
const S7 = {
  sendMasterP4: row("send m→r P=4", '273/231 272/230 262/220 191/165 190/164 194/168 197/171 196/170 194/168 192/166 191/165 194/168'),
  sendMasterP256: row("send m→r P=256", '483/231 482/230 472/220 331/165 330/164 334/168 329/171 328/170 326/168 324/166 323/165 326/168'),
  sendRemoteP4: row("send r→m P=4", '259/217 258/216 254/212 187/161 186/160 192/166 193/167 192/166 192/166 187/161 186/160 192/166'),
  sendRemoteP256: row("send r→m P=256", '469/217 468/216 464/212 327/161 326/160 332/166 325/167 324/166 324/166 319/161 318/160 324/166'),
  rxRemoteRelease: row("rx remote (RELEASE)", '191/190 191/190 208/207 146/145 146/145 158/157 146/145 146/145 158/157 146/145 146/145 158/157'),
  rxMasterRelease: row("rx master (RELEASE)", '212/211 212/211 221/220 151/150 151/150 160/159 151/150 151/150 160/159 152/151 152/151 160/159'),
  rxRemoteHold: row("rx remote, HOLD", '161/160 161/160 172/171 120/119 120/119 125/124 120/119 120/119 125/124 119/118 119/118 125/124'),
  rxMasterHold: row("rx master, HOLD", '173/172 173/172 181/180 118/117 118/117 122/121 118/117 118/117 122/121 118/117 118/117 122/121'),
  allocMaster: row("alloc_tx_buffer master", '103/102 103/102 100/99 79/78 79/78 78/77 84/83 84/83 78/77 80/79 80/79 78/77'),
  allocRemote: row("alloc_tx_buffer remote", '96/95 96/95 94/93 80/79 80/79 79/78 85/84 85/84 79/78 80/79 80/79 79/78'),
  sendNocopyMaster: row("send_nocopy m→r", '150/142 149/141 154/146 111/104 110/103 114/107 112/105 111/104 114/107 111/104 110/103 114/107'),
  sendNocopyRemote: row("send_nocopy r→m", '143/135 142/134 152/144 106/99 105/98 111/104 107/100 106/99 111/104 106/99 105/98 111/104'),
  releaseRemote: row("release_rx_buffer remote", '67/67 67/67 73/73 53/53 53/53 57/57 55/55 55/55 57/57 53/53 53/53 57/57'),
  releaseMaster: row("release_rx_buffer master", '76/76 76/76 77/77 60/60 60/60 62/62 62/62 62/62 62/62 60/60 60/60 62/62'),
  nsAnnounce: row("ns_announce (40 B)", '474/248 473/247 469/243 367/186 366/185 372/191 370/193 369/192 368/191 364/187 363/186 368/191'),
  nsRx: row("rx master of NS message", '253/252 253/252 263/262 163/162 163/162 172/171 163/162 163/162 172/171 164/163 164/163 172/171'),
  masterInit: row("master_init", '3202/935 3201/934 3219/922 2639/704 2638/703 2684/719 2639/707 2638/706 2677/715 2636/704 2635/703 2681/719'),
  remoteInit: row("remote_init", '1230/320 1230/320 1251/311 924/256 924/256 946/248 917/252 917/252 939/244 920/255 920/255 943/248'),
  txCallback: row("link-up kick (tx_callback)", '26/26 26/26 26/26 17/17 17/17 17/17 17/17 17/17 17/17 17/17 17/17 17/17'),
  createEptMaster: row("create_ept master, ANY", '298/70 298/70 299/71 218/51 218/51 223/56 216/51 216/51 221/56 216/51 216/51 221/56'),
  createEptRemote: row("create_ept remote, 30", '298/70 298/70 297/69 216/49 216/49 222/55 214/49 214/49 220/55 214/49 214/49 220/55'),
  nsBind: row("ns_bind", '505/113 505/113 502/110 369/82 369/82 377/90 367/82 367/82 375/90 367/82 367/82 375/90'),
} as const;
type S7Name = keyof typeof S7;

/** Shared-region accesses of a path as loads/stores: vrings (§5, every build) and the header (§5; §7 for ARMv6-M). */
interface Shared {
  readonly vring: readonly [number, number];
  readonly header: readonly [number, number];
  readonly headerV6: readonly [number, number];
  readonly dsb: number;
}
const SHARED: Readonly<Partial<Record<RlCostName, Shared>>> = {
  sendMaster: { vring: [7, 2], header: [0, 5], headerV6: [0, 12], dsb: 3 },
  sendRemote: { vring: [7, 3], header: [0, 5], headerV6: [0, 12], dsb: 3 },
  rxRemoteRelease: { vring: [7, 3], header: [3, 0], headerV6: [10, 0], dsb: 2 },
  rxMasterRelease: { vring: [7, 2], header: [3, 0], headerV6: [10, 0], dsb: 2 },
  rxRemoteHold: { vring: [5, 0], header: [3, 1], headerV6: [10, 2], dsb: 1 },
  rxMasterHold: { vring: [5, 0], header: [3, 1], headerV6: [10, 2], dsb: 1 },
  allocTxBuffer: { vring: [4, 0], header: [0, 1], headerV6: [0, 2], dsb: 1 },
  sendNocopyMaster: { vring: [4, 2], header: [2, 5], headerV6: [4, 12], dsb: 2 },
  sendNocopyRemote: { vring: [4, 3], header: [2, 5], headerV6: [4, 12], dsb: 2 },
  releaseRemote: { vring: [3, 3], header: [2, 0], headerV6: [4, 0], dsb: 1 },
  releaseMaster: { vring: [3, 2], header: [2, 0], headerV6: [4, 0], dsb: 1 },
};

/** The §7 row each hot path's lib-only count comes from. */
const HOT_ROWS: Readonly<Partial<Record<RlCostName, readonly S7Name[]>>> = {
  sendMaster: ['sendMasterP4'],
  sendRemote: ['sendRemoteP4'],
  rxRemoteRelease: ['rxRemoteRelease'],
  rxMasterRelease: ['rxMasterRelease'],
  rxRemoteHold: ['rxRemoteHold'],
  rxMasterHold: ['rxMasterHold'],
  allocTxBuffer: ['allocMaster', 'allocRemote'],
  sendNocopyMaster: ['sendNocopyMaster'],
  sendNocopyRemote: ['sendNocopyRemote'],
  releaseRemote: ['releaseRemote'],
  releaseMaster: ['releaseMaster'],
};

const HOT: readonly S7Name[] = ['sendMasterP4', 'sendRemoteP4', 'rxRemoteRelease', 'rxMasterRelease', 'rxRemoteHold', 'rxMasterHold', 'allocMaster', 'allocRemote', 'sendNocopyMaster', 'sendNocopyRemote', 'releaseRemote', 'releaseMaster'];
const REFERENCE: BuildKey = 'cortex-m4/O2';

/** A build's lib-only instructions over the hot paths ÷ the M4 -O2 build's (for rows §7 lacks). */
export function hotPathRatio(build: BuildKey): number {
  const sum = (key: BuildKey): number => HOT.reduce((s, name) => s + S7[name].counts[key].lib, 0);
  return Math.round((sum(build) / sum(REFERENCE)) * 1000) / 1000;
}

/** The M4 -O2 figures of rows §7 lacks (the first M4 table's, with their sources). */
const M4_ONLY: Readonly<Record<'endpointListNode' | 'destroyEpt' | 'isLinkUp', { value: number; source: string }>> = {
  endpointListNode: { value: 6, source: 'each endpoint probed or walked past: +6 instructions per list node on M4 -O2 (COSTS §2 notes)' },
  destroyEpt: { value: 51, source: "rpmsg_lite_destroy_ept as create_ept's list walk and a free (no published count): 51 on M4 -O2 (Assumption)" },
  isLinkUp: { value: 4, source: 'is_link_up: a load and a compare, 4 on M4 -O2 (Assumption)' },
};

// Our reading of the C ports (the COSTS notes measured a fake platform only), on M4 -O2; the
// mailbox register accesses are excluded (the bus times them).
const M4_PORT: Readonly<Record<PortCostName, { value: number; source: string }>> = {
  notify: { value: 14, source: 'Assumption: platform_notify: call, lock/unlock calls (no-ops on bare metal), the mailbox driver call: 14 on M4 -O2' },
  isr: { value: 12, source: "Assumption: the IRQ handler's entry, status decode and return (without env_isr): 12 on M4 -O2" },
  envIsr: { value: 10, source: 'env_isr (6) + virtqueue_notification (4), COSTS §4 static counts on M4 -O2, per vq dispatched' },
  interruptToggle: { value: 10, source: 'Assumption: platform_interrupt_enable/disable: cpsid, counter, NVIC write, cpsie: 10 on M4 -O2 (the cps themselves are timed by the core)' },
  initInterrupt: { value: 20, source: 'Assumption: platform_init_interrupt: env_register_isr and first-use source enable: 20 on M4 -O2' },
};
const M4_ENV: Readonly<Record<'lockMutex' | 'unlockMutex', { value: number; source: string }>> = {
  lockMutex: { value: 1, source: 'env_lock_mutex is a no-op on bare metal: one instruction for the call on M4 -O2 (COSTS §2: lock/unlock ×2 = 4)' },
  unlockMutex: { value: 1, source: 'env_unlock_mutex is a no-op on bare metal: one instruction for the call on M4 -O2 (COSTS §2: lock/unlock ×2 = 4)' },
};

// COSTS §2 notes, "all memory operations on M4 -O2, P=4" (loads/stores), and §7 for M0+ -O2.
const M4_O2_MEMORY: Readonly<Partial<Record<RlCostName, readonly [number, number]>>> = {
  sendMaster: [70, 43],
  sendRemote: [67, 40],
  rxRemoteRelease: [67, 30],
  rxMasterRelease: [72, 35],
  allocTxBuffer: [34, 21],
  sendNocopyMaster: [42, 26],
  releaseRemote: [24, 13],
  releaseMaster: [27, 14],
};
const M0_O2_MEMORY: Readonly<Partial<Record<RlCostName, readonly [number, number]>>> = { sendMaster: [85, 63], rxRemoteRelease: [83, 39] };

const instructions = (value: number, source: string): CostEntry => ({ value, unit: 'instructions', source });

function libOf(path: RlCostName, key: BuildKey): number {
  const rows = HOT_ROWS[path]!;
  return Math.round(rows.reduce((s, r) => s + S7[r].counts[key].lib, 0) / rows.length);
}

function libLabel(path: RlCostName, key: BuildKey): string {
  const rows = HOT_ROWS[path]!;
  if (rows.length === 1) return `${S7[rows[0]!].counts[key].lib} lib-only ("${S7[rows[0]!].label}")`;
  return `${libOf(path, key)} lib-only (mean of ${rows.map((r) => `"${S7[r].label}" ${S7[r].counts[key].lib}`).join(' and ')})`;
}

function sharedOf(path: RlCostName, isa: Isa): { loads: number; stores: number } {
  const s = SHARED[path]!;
  const h = isa === 'armv6-m' ? s.headerV6 : s.header;
  return { loads: s.vring[0] + h[0], stores: s.vring[1] + h[1] };
}

/** The instruction table of one build. */
export function buildTable(cpu: BuildCpu, opt: OptLevel): InstructionTable {
  const key: BuildKey = `${cpu}/${opt}`;
  const isa = BUILD_ISA[cpu];
  const at = (name: S7Name): Counts => S7[name].counts[key];
  const ratio = hotPathRatio(key);
  const scaled = (value: number, source: string): CostEntry =>
    key === REFERENCE ? instructions(value, source) : instructions(Math.max(1, Math.round(value * ratio)), `Assumption: ${source.replace(/^Assumption: /, '')}, × ${ratio} (this build's lib-only hot paths ÷ M4 -O2's, COSTS §7)`);
  const where = `${cpu} -${opt}, COSTS §7`;

  const rl = {} as Record<RlCostName, CostEntry>;
  for (const path of Object.keys(SHARED) as RlCostName[]) {
    const s = SHARED[path]!;
    const sh = sharedOf(path, isa);
    const lib = libOf(path, key);
    const value = lib - sh.loads - sh.stores - s.dsb;
    rl[path] = instructions(value, `${where}: ${libLabel(path, key)} − ${sh.loads + sh.stores} shared accesses (${sh.loads} L / ${sh.stores} S: vrings §5, header ${isa === 'armv6-m' ? 'byte-wise §7' : '§5'}) − ${s.dsb} dsb = ${value}`);
  }
  rl.txCallback = instructions(at('txCallback').lib, `${where}: link-up kick (tx_callback path) ${at('txCallback').lib} lib-only, no shared access`);
  const mi = at('masterInit');
  // COSTS §5 master_init: 11 vring loads, 74 vring stores (4×8b + 16×16b + 54×32b) and the memset's 16 + 496 word stores, all issued on the bus.
  rl.masterInit = instructions(
    mi.total - 5 - 597,
    `${where}: rpmsg_lite_master_init ${mi.total} total (${mi.lib} lib-only + newlib memset, strncpy, malloc) − 5 dsb − 597 shared accesses the bus times (COSTS §5: 11 vring loads, 74 vring stores, the memset's 512 word stores) (the libc part is newlib's whatever the core's libc)`,
  );
  const ri = at('remoteInit');
  rl.remoteInit = instructions(ri.total, `${where}: rpmsg_lite_remote_init ${ri.total} total (${ri.lib} lib-only + newlib malloc, strncpy, memset), no shared access`);
  const ce = at('createEptMaster');
  rl.createEpt = instructions(ce.total, `${where}: rpmsg_lite_create_ept, RL_ADDR_ANY, empty list: ${ce.total} total (${ce.lib} lib-only + newlib malloc/memset)`);
  const nb = at('nsBind');
  rl.nsBind = instructions(nb.total - ce.total, `${where}: rpmsg_ns_bind ${nb.total} total − the create_ept ${ce.total} charged by create_ept`);
  const na = at('nsAnnounce');
  const sr = at('sendRemoteP4');
  const newlib = LIBC_MODELS.newlib[isa].memcpyAligned;
  const memcpy40 = Math.round(newlib.intercept + newlib.slope * 40);
  const fake = cpu === 'cortex-m0plus' ? 9 : 8;
  const strncpy = na.total - na.lib - memcpy40 - fake;
  const announce = na.lib - sr.lib + strncpy;
  rl.nsAnnounce = instructions(
    announce,
    `${where}: rpmsg_ns_announce before its send: ${na.lib} lib-only − ${sr.lib} (the send r→m it makes, charged by send) + its strncpy ${strncpy} (${na.total} total − ${na.lib} lib-only − newlib memcpy of 40 B ${memcpy40} − fake platform ${fake}) = ${announce}`,
  );
  const nr = at('nsRx');
  const rm = at('rxMasterRelease');
  // The addr/flags loads are shared accesses: 2 × 32 bits, or 8 bytes on ARMv6-M (§7 "NS: L 2×32 → 8×8").
  const nsLoads = isa === 'armv6-m' ? 8 : 2;
  const nsCb = Math.max(0, nr.lib - rm.lib - nsLoads);
  rl.nsRxCallback = instructions(nsCb, `${where}: rx of an NS message on the master ${nr.lib} lib-only − ${rm.lib} (the rx path, charged by rx) − ${nsLoads} (the addr/flags loads, shared) = ${nsCb}`);
  rl.deinit = instructions(ri.lib, `Assumption: rpmsg_lite_deinit has no published count; taken as this build's remote_init lib-only part (${where}: ${ri.lib})`);
  rl.endpointListNode = scaled(M4_ONLY.endpointListNode.value, M4_ONLY.endpointListNode.source);
  rl.destroyEpt = scaled(M4_ONLY.destroyEpt.value, M4_ONLY.destroyEpt.source);
  rl.isLinkUp = scaled(M4_ONLY.isLinkUp.value, M4_ONLY.isLinkUp.source);

  const port = {} as Record<PortCostName, CostEntry>;
  for (const [name, e] of Object.entries(M4_PORT) as [PortCostName, { value: number; source: string }][]) port[name] = scaled(e.value, e.source);
  const env: Record<EnvCostName, CostEntry> = {
    lockMutex: scaled(M4_ENV.lockMutex.value, M4_ENV.lockMutex.source),
    unlockMutex: scaled(M4_ENV.unlockMutex.value, M4_ENV.unlockMutex.source),
    delayLoopIteration: {
      value: 3,
      unit: 'cycles',
      source: 'platform_time_delay of the rpmsg-lite Cortex-M ports: a NOP loop of SystemCoreClock/3/1000 iterations per ms, about 3 cycles each',
    },
  };

  const sizes = RPMSG_LITE_SIZES[key]!;
  return {
    basis: `${cpu} Thumb${isa === 'armv6-m' ? '' : '-2'} (${isa}), arm-none-eabi-gcc 12.2.1 -${opt} -mcpu=${cpu} -mthumb (executed counts under qemu-arm 7.2, COSTS §7)`,
    cpu,
    opt,
    isa,
    rl,
    port,
    env,
    code: {
      bytesPerInstruction: {
        value: sizes.text / sizes.instructions,
        unit: 'bytes/instruction',
        source: `measured: ${sizes.text} .text bytes for ${sizes.instructions} static instructions over rpmsg-lite's 5 files, ${cpu} -${opt} (measured-sizes.ts; for code without a measured size)`,
      },
      functions: sizes.functions,
    },
    data: dataOf(key, isa),
  };
}

/** Private loads/stores of the hot paths on a build: all memory operations minus the shared accesses. */
function dataOf(key: BuildKey, isa: Isa): InstructionTable['data'] {
  const data: Partial<Record<CostPath, { loads: number; stores: number; source: string }>> = {};
  const [cpu, opt] = key.split('/') as [BuildCpu, OptLevel];
  for (const [path, m4] of Object.entries(M4_O2_MEMORY) as [RlCostName, readonly [number, number]][]) {
    const sh = sharedOf(path, isa);
    let loads: number;
    let stores: number;
    let source: string;
    const m0 = M0_O2_MEMORY[path];
    if (cpu === 'cortex-m0plus') {
      const base = m0 ?? [Math.round(m4[0] * libOf(path, 'cortex-m0plus/O2') / libOf(path, REFERENCE)), Math.round(m4[1] * libOf(path, 'cortex-m0plus/O2') / libOf(path, REFERENCE))];
      const baseSource =
        m0 !== undefined
          ? `M0+ -O2 ${m0[0]}/${m0[1]} loads/stores (COSTS §7)`
          : `Assumption: M4 -O2 ${m4[0]}/${m4[1]} (COSTS §2) × this path's M0+/M4 -O2 lib-only ratio = ${base[0]}/${base[1]}`;
      const r = libOf(path, key) / libOf(path, 'cortex-m0plus/O2');
      loads = Math.round(base[0] * r) - sh.loads;
      stores = Math.round(base[1] * r) - sh.stores;
      source = `${baseSource}${opt === 'O2' ? '' : ` × ${r.toFixed(3)} (Assumption: this path's lib-only -${opt}/-O2 ratio, COSTS §7)`} − ${sh.loads}/${sh.stores} shared`;
    } else {
      // §7: M33 and M7 make the same loads/stores as the M4 at each -O level.
      const r = libOf(path, `cortex-m4/${opt}`) / libOf(path, REFERENCE);
      loads = Math.round(m4[0] * r) - sh.loads;
      stores = Math.round(m4[1] * r) - sh.stores;
      source = `M4 -O2 ${m4[0]}/${m4[1]} loads/stores (COSTS §2${cpu === 'cortex-m4' ? '' : '; §7: the same on M33 and M7'})${opt === 'O2' ? '' : ` × ${r.toFixed(3)} (Assumption: this path's M4 lib-only -${opt}/-O2 ratio)`} − ${sh.loads}/${sh.stores} shared`;
    }
    data[`rl.${path}`] = { loads, stores, source };
  }
  return data;
}

/** Every build's table by its basis key. */
export const BUILD_TABLES: Readonly<Record<string, InstructionTable>> = Object.fromEntries(
  BUILD_CPUS.flatMap((cpu) => OPT_LEVELS.map((opt) => [basisOf(cpu, opt), buildTable(cpu, opt)])),
);
