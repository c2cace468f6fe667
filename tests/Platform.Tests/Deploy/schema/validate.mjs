// Validates every document of a rendered kustomize build (argv[2]) against the Kubernetes API schemas shipped in
// npm's kubernetes-models (types, required fields, enums, formats), and a CloudNativePG Cluster against the subset
// of its CRD the manifests use (no CRD schema package is served; fields from the CloudNativePG API reference).
// Prints one line per document; exits 1 if any document fails.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const clusterSchema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "postgresql.cnpg.io/v1" },
    kind: { const: "Cluster" },
    metadata: { type: "object", required: ["name"] },
    spec: {
      type: "object",
      additionalProperties: false,
      required: ["instances", "storage"],
      properties: {
        instances: { type: "integer", minimum: 1 },
        imageName: { type: "string" },
        primaryUpdateStrategy: { enum: ["unsupervised", "supervised"] },
        primaryUpdateMethod: { enum: ["switchover", "restart"] },
        storage: {
          type: "object", additionalProperties: false, required: ["size"],
          properties: { size: { type: "string", pattern: "^[0-9]+(Ki|Mi|Gi|Ti)$" }, storageClass: { type: "string" } },
        },
        walStorage: { type: "object" },
        bootstrap: {
          type: "object", additionalProperties: false,
          properties: {
            initdb: {
              type: "object", additionalProperties: false,
              properties: { database: { type: "string" }, owner: { type: "string" }, secret: { type: "object" }, postInitSQL: { type: "array" } },
            },
            recovery: { type: "object" },
            pg_basebackup: { type: "object" },
          },
        },
        postgresql: {
          type: "object",
          properties: { parameters: { type: "object", additionalProperties: { type: "string" } } },
        },
        monitoring: { type: "object", properties: { enablePodMonitor: { type: "boolean" } } },
        backup: { type: "object" },
        managed: { type: "object" },
        resources: { type: "object" },
        affinity: { type: "object" },
        enableSuperuserAccess: { type: "boolean" },
      },
    },
  },
};
const validateCluster = new Ajv({ allErrors: true }).compile(clusterSchema);

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch {
    return null;
  }
}

const documents = parseAllDocuments(readFileSync(process.argv[2], "utf8"));
let failed = 0;
for (const document of documents) {
  if (document.errors.length > 0) {
    console.log(`FAIL yaml: ${document.errors[0].message}`);
    failed++;
    continue;
  }
  const object = document.toJS();
  if (object === null) continue;
  const name = `${object.kind}/${object.metadata?.name}`;
  if (object.apiVersion === "postgresql.cnpg.io/v1" && object.kind === "Cluster") {
    if (validateCluster(object)) {
      console.log(`ok ${name} (CloudNativePG subset)`);
    } else {
      console.log(`FAIL ${name}: ${validateCluster.errors.map((e) => `${e.instancePath} ${e.message}`).join(", ")}`);
      failed++;
    }
    continue;
  }
  const Model = await modelFor(object.apiVersion ?? "", object.kind ?? "");
  if (Model === null) {
    console.log(`FAIL ${name}: no schema for ${object.apiVersion} ${object.kind}`);
    failed++;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`ok ${name}`);
  } catch (error) {
    console.log(`FAIL ${name}: ${error.message}`);
    failed++;
  }
}
console.log(`${documents.length - failed} valid, ${failed} invalid`);
process.exit(failed === 0 ? 0 : 1);
