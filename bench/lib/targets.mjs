// The issue's targets, checked against one run's figures. Pure.

/** @returns {{ target: string, measured: string, met: boolean | undefined }[]} */
export function checkTargets(results) {
  const checks = [];
  const add = (target, value, format, met) => checks.push({ target, measured: value === undefined ? 'not measured' : format(value), met: value === undefined ? undefined : met(value) });
  const x = (value) => `${value.toFixed(2)}×`;
  const msText = (value) => `${Math.round(value)} ms`;
  const r = results.ratios;

  add('lblab round-robin ≥ 0.8 × HAProxy req/s', r.balancerVsHaproxy, x, (v) => v >= 0.8);
  add('lblab round-robin p99 ≤ 2 × HAProxy p99', r.balancerP99VsHaproxy, x, (v) => v <= 2);
  add('lblab generator ≥ 1.0 × autocannon req/s', r.generatorVsAutocannon, x, (v) => v >= 1);
  const memory = results.generator?.memory;
  add(
    `generator 1,000,000-request run < 150 MB RSS${memory !== undefined && memory.requestsAsked < 1_000_000 ? ` (quick: ${memory.requestsAsked.toLocaleString('en')} requests)` : ''}`,
    memory?.peakRssMB,
    (v) => `${v} MB`,
    (v) => v < 150,
  );
  const life = results.lifecycle;
  add('up, cached images ≤ 3 s', life?.upCachedMs?.medianMs, msText, (v) => v <= 3000);
  add('up, cold engine ≤ 20 s', life?.upColdMs?.medianMs, msText, (v) => v <= 20_000);
  add(`kill detected ≤ fall × interval + 0.2 s (${life?.killDetectTargetMs ?? 1200} ms)`, life?.killDetectedMs?.medianMs, msText, (v) => v <= (life?.killDetectTargetMs ?? 1200));
  add('revive, back in rotation ≤ 1.5 s', life?.reviveServedMs?.medianMs, msText, (v) => v <= 1500);
  add('down ≤ 2 s', life?.downMs?.medianMs, msText, (v) => v <= 2000);
  add('run distribution-10k ≤ 10 s', results.scenario?.runs?.process?.wallMs, msText, (v) => v <= 10_000);
  return checks;
}
