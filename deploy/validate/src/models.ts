import type { Json, Obj } from "./lib.js";

/** The npm package whose models cover an API group. */
const packageOfGroup: Record<string, string> = {
  "": "kubernetes-models",
  apps: "kubernetes-models",
  autoscaling: "kubernetes-models",
  batch: "kubernetes-models",
  policy: "kubernetes-models",
  "networking.k8s.io": "kubernetes-models",
  "rbac.authorization.k8s.io": "kubernetes-models",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "argoproj.io": "@kubernetes-models/argo-cd",
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "external-secrets.io": "@kubernetes-models/external-secrets",
};

/** Kinds that no npm model package covers; they get the project checks only, and a note says so. */
export const kindsWithoutSchema = new Set(["cloud.google.com/v1/BackendConfig"]);

export interface ModelRef {
  /** Module to import, e.g. kubernetes-models/apps/v1/Deployment. */
  module: string;
  /** The exported class and its interface. */
  className: string;
  interfaceName: string;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

export function modelRef(apiVersion: string, kind: string): ModelRef | undefined {
  const pkg = packageOfGroup[groupOf(apiVersion)];
  if (pkg === undefined || !/^[A-Za-z0-9.\-/]+$/.test(apiVersion) || !/^[A-Za-z]+$/.test(kind)) {
    return undefined;
  }
  return { module: `${pkg}/${apiVersion}/${kind}`, className: kind, interfaceName: `I${kind}` };
}

interface ModelClass {
  new (data: Obj): { validate(): void };
}

/** Runs the package's validate() on one object; the error text, or undefined when valid. */
export async function validateWithModel(ref: ModelRef, obj: Obj): Promise<string | undefined> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(ref.module)) as Record<string, unknown>;
  } catch (e) {
    return `no model ${ref.module} (${(e as Error).message.split("\n")[0]})`;
  }
  const cls = mod[ref.className] as ModelClass | undefined;
  if (typeof cls !== "function") return `module ${ref.module} has no class ${ref.className}`;
  try {
    new cls(structuredClone(obj)).validate();
    return undefined;
  } catch (e) {
    const err = e as Error & { errors?: { instancePath?: string; message?: string }[] };
    if (Array.isArray(err.errors)) {
      return err.errors.map((x) => `${x.instancePath ?? ""} ${x.message ?? ""}`.trim()).join("; ");
    }
    return err.message;
  }
}

/** A TypeScript module that assigns each object literal to its model's interface, so that
 * `tsc --strict` reports misspelled or misplaced fields (excess property checks). */
export function typedModule(objects: { ref: ModelRef; obj: Json; label: string }[]): string {
  const lines: string[] = [];
  objects.forEach(({ ref }, i) => {
    lines.push(`import type { ${ref.interfaceName} as T${i} } from ${JSON.stringify(ref.module)};`);
  });
  objects.forEach(({ obj, label }, i) => {
    lines.push(`// ${label}`);
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(obj, null, 2)};`);
  });
  return lines.join("\n") + "\n";
}

/** A fixed version: a digest, or a tag that is neither missing nor "latest". */
export function imagePinned(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSlash = image.lastIndexOf("/");
  const colon = image.indexOf(":", lastSlash + 1);
  if (colon < 0) return false;
  const tag = image.slice(colon + 1);
  return tag !== "" && tag !== "latest" && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag);
}
