// Reads the YAML that `kubectl kustomize` renders (standard input), checks every object against the Kubernetes
// API's schema for its apiVersion and kind (kubernetes-models, generated from the API's OpenAPI), and prints the
// objects as one JSON array on standard output. Any object that fails, or whose kind has no schema here, is named
// with the reason on standard error, and the exit code is 1.
//
// The schemas accept fields they do not know (as the API server does without strict field validation), so a
// misspelt field would pass silently: every field is also looked up in the API's own type map (the generated
// models of @kubernetes/client-node), as `kubectl apply --validate=strict` does against a cluster.
import { parseAllDocuments } from "yaml";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const modelsFolder = require.resolve("@kubernetes/client-node/dist/gen/models/V1Pod.js").replace(/V1Pod\.js$/, "");
const typeMaps = new Map();
async function typeMap(type) {
  if (!/^[A-Z][A-Za-z0-9]+$/.test(type)) return null;
  if (!typeMaps.has(type)) {
    try {
      const model = (await import(`${modelsFolder}${type}.js`))[type];
      typeMaps.set(type, model?.getAttributeTypeMap?.() ?? null);
    } catch {
      typeMaps.set(type, null);
    }
  }
  return typeMaps.get(type);
}

/** Fields of `value` that its type does not have, with their paths. */
async function unknownFields(value, type, path, found) {
  if (value === null || typeof value !== "object") return found;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) await unknownFields(value[i], array[1], `${path}/${i}`, found);
    return found;
  }
  const dictionary = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (dictionary) {
    for (const [key, item] of Object.entries(value)) await unknownFields(item, dictionary[1], `${path}/${key}`, found);
    return found;
  }
  const attributes = await typeMap(type);
  if (!attributes || Array.isArray(value)) return found;
  for (const [key, item] of Object.entries(value)) {
    const attribute = attributes.find((a) => a.baseName === key);
    if (!attribute) found.push(`${path}/${key}`);
    else await unknownFields(item, attribute.type, `${path}/${key}`, found);
  }
  return found;
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const documents = parseAllDocuments(Buffer.concat(chunks).toString("utf8"));

const objects = [];
const problems = [];
for (const document of documents) {
  if (document.errors.length > 0) {
    problems.push(`YAML: ${document.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const object = document.toJS();
  if (object === null || object === undefined) continue;
  const name = `${object.kind ?? "?"}/${object.metadata?.name ?? "?"}`;
  if (typeof object.apiVersion !== "string" || typeof object.kind !== "string" || !/^[A-Za-z]+$/.test(object.kind)) {
    problems.push(`${name}: an object needs a string apiVersion and kind`);
    continue;
  }
  // Beta and alpha APIs come and go between Kubernetes versions (policy/v1beta1 and autoscaling/v2beta2 are gone
  // from the clusters we target, 1.29 and later); the manifests use stable ones only.
  if (/(alpha|beta)\d*$/.test(object.apiVersion)) {
    problems.push(`${name}: ${object.apiVersion} is not a stable API; use its v1 (or v2) successor`);
    continue;
  }
  let model;
  try {
    model = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`))[object.kind];
  } catch {
    problems.push(`${name}: no schema for ${object.apiVersion} ${object.kind} (unknown or removed API)`);
    continue;
  }
  try {
    new model(object).validate();
  } catch (error) {
    problems.push(`${name}: ${error.message}`);
    continue;
  }
  const version = object.apiVersion.split("/").pop();
  const unknown = await unknownFields(object, `${version[0].toUpperCase()}${version.slice(1)}${object.kind}`, "", []);
  if (unknown.length > 0) {
    problems.push(`${name}: unknown field${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`);
    continue;
  }
  objects.push(object);
}

if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
process.stdout.write(JSON.stringify(objects));
