/**
 * Pipeline Service, one cluster stack: parse config → providers → toServiceArgs → PipelineService → stack outputs.
 * Exported as a function so the Pulumi runtime (and the offline render) runs it inside the stack.
 */
// Sub-module imports: the package roots load every service (~0.4 s of each run).
import type { Region } from "@pulumi/aws";
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
    });

    const service = new PipelineService("pipeline-service", toServiceArgs(config), {
        providers: { aws: awsProvider, kubernetes: kubernetesProvider },
    });

    return service.stackOutputs;
};
