// Validates Prometheus-operator resources (a JSON array on stdin) with the validators that
// @kubernetes-models/prometheus-operator generates from the operator's CRD schemas. Prints one
// line per problem and exits 1 when there is any. Called by validate_operator_resources.py.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modelsDir = process.argv[2];
const base = join(modelsDir, "node_modules", "@kubernetes-models", "prometheus-operator");
const resources = JSON.parse(readFileSync(0, "utf8"));
let problems = 0;
for (const resource of resources) {
  const [group, version] = String(resource.apiVersion).split("/");
  const where = `${resource.kind}/${resource.metadata?.name ?? "?"}`;
  let Model;
  try {
    Model = (await import(pathToFileURL(join(base, group, version, `${resource.kind}.js`))))[resource.kind];
  } catch {
    console.log(`${where}: no schema for ${resource.apiVersion} ${resource.kind}`);
    problems++;
    continue;
  }
  try {
    new Model(resource).validate();
  } catch (error) {
    for (const line of String(error.message).split(", ")) {
      console.log(`${where}: ${line}`);
    }
    problems++;
  }
}
process.exit(problems ? 1 : 0);
