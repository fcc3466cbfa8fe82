// Preloaded with `node --import` to prove a process needs no network: any attempt
// to resolve a host name or to fetch fails loudly and is recorded in the file named
// by NO_NETWORK_LOG. Loopback stays allowed.
import dns from "node:dns";
import { appendFileSync } from "node:fs";

const log = process.env.NO_NETWORK_LOG;
function refuse(what) {
  if (log) appendFileSync(log, `${process.pid} ${what}\n`);
  return new Error(`network access refused in this test: ${what}`);
}
const isLocal = (host) => host === "localhost" || host === "127.0.0.1" || host === "::1";

const lookup = dns.lookup;
dns.lookup = function (host, ...args) {
  if (isLocal(host)) return lookup.call(this, host, ...args);
  const callback = args.find((a) => typeof a === "function");
  const error = refuse(`dns.lookup ${host}`);
  if (callback) process.nextTick(() => callback(error));
  else throw error;
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = async (host, ...args) => {
  if (isLocal(host)) return promisesLookup.call(dns.promises, host, ...args);
  throw refuse(`dns.promises.lookup ${host}`);
};
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  if (isLocal(url.hostname)) return realFetch(input, init);
  throw refuse(`fetch ${url.href}`);
};
