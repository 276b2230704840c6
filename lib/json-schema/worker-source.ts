// The code of the JSON-schema worker thread, as a string: Next bundles the server, so a worker file
// path would not survive the build; an eval worker loads Ajv from the app's own node_modules instead.
export const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const { createRequire } = require("node:module");
const path = require("node:path");
const load = createRequire(path.join(workerData.root, "package.json"));
const Ajv = (workerData.draft === "2020" ? load("ajv/dist/2020") : load("ajv")).default;

// A small LRU of compiled schemas keyed by their full text, each compiled by its own Ajv instance:
// a schema's $id is never registered anywhere another request could collide with.
const cache = new Map();
function compile(schema) {
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (validate) {
    cache.delete(key);
  } else {
    const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false, addUsedSchema: false, logger: false });
    validate = ajv.compile(schema);
  }
  cache.set(key, validate);
  if (cache.size > workerData.cacheSize) cache.delete(cache.keys().next().value);
  return validate;
}

parentPort.on("message", (job) => {
  try {
    const validate = compile(job.schema);
    if (job.op === "compile") return parentPort.postMessage({ id: job.id, ok: true });
    if (validate(job.value)) return parentPort.postMessage({ id: job.id, ok: true, valid: true });
    const first = validate.errors && validate.errors[0];
    parentPort.postMessage({ id: job.id, ok: true, valid: false, path: (first && first.instancePath) || "", message: (first && first.message) || "" });
  } catch (error) {
    // Only the message: a failed compile's error can carry the generated code.
    parentPort.postMessage({ id: job.id, ok: false, message: String((error && error.message) || error).split("\n")[0].slice(0, 300) });
  }
});
`;
