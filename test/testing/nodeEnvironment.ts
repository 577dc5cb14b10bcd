// The shared test/setup.ts (written for the jsdom suites) clears sessionStorage and localStorage
// after every test. These suites run in Node, which has no Web Storage, so give it two empty
// stand-ins; remove this file once test/setup.ts tolerates their absence.
for (const name of ['sessionStorage', 'localStorage'] as const) {
  if (!(name in globalThis)) {
    Object.defineProperty(globalThis, name, { value: { clear: () => undefined }, configurable: true });
  }
}
