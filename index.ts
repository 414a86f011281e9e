/**
 * Pipeline Service, one cluster stack: parse config → providers → toServiceArgs → PipelineService → stack outputs.
 * Exported as a function so the Pulumi runtime (and the offline render) runs it inside the stack.
 */
// Sub-module imports: the package roots load every service (~0.4 s of each run).
import type { Region } from "@pulumi/aws/types/enums";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { PipelineService } from "./components/pipeline-service";
import { toServiceArgs } from "./service-args";
import { loadStackConfig } from "./stacks/config";

export = async () => {
    const config = loadStackConfig();

    // Explicit providers only (the stack files disable the default ones): nothing can land in whatever
    // cluster or account the ambient credentials happen to point at.
    const awsProvider = new AwsProvider("aws", { region: config.providers.awsRegion as Region });
    const kubernetesProvider = new KubernetesProvider("kubernetes", {
        context: config.providers.kubernetesContext,
        kubeconfig: config.providers.kubeconfig,
        // A Secret or ConfigMap whose data changes is updated in place instead of deleted and re-created (the provider's
        // default: pulumi-kubernetes diff.go forceNewProperties), so a credential rotation never leaves the Results
        // Secrets or the CA ConfigMap missing for a moment; an immutable one (signing-secrets) is still replaced.
        // Neither key replaces the provider (DiffConfig: fleet/facts/engine-replacement.json). docs/decisions.md.
        enableSecretMutable: true,
        enableConfigMapMutable: true,
    });

    const service = new PipelineService("pipeline-service", toServiceArgs(config), {
        providers: { aws: awsProvider, kubernetes: kubernetesProvider },
    });

    return service.stackOutputs;
};
