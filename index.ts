/**
 * Pipeline Service, one cluster stack: parse config → providers → PipelineService → stack outputs.
 * Exported as a function so the Pulumi runtime (and the offline render) runs it inside the stack.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { PipelineService } from "./components/pipeline-service";
import { loadStackConfig } from "./stacks/config";

export = async () => {
    const config = loadStackConfig();

    // Explicit providers only (the stack files disable the default ones): nothing can land in whatever
    // cluster or account the ambient credentials happen to point at.
    const awsProvider = new aws.Provider("aws", { region: config.providers.awsRegion as aws.Region });
    const kubernetesProvider = new k8s.Provider("kubernetes", {
        context: config.providers.kubernetesContext,
        kubeconfig: config.providers.kubeconfig,
    });

    const service = new PipelineService("pipeline-service", { config }, {
        providers: { aws: awsProvider, kubernetes: kubernetesProvider },
    });

    return service.stackOutputs;
};
