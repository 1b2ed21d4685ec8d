package dev.ioserverless.local;

import java.net.URI;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack in a container (Testcontainers), for the second-opinion suite where Docker runs. Where
 * it does not, every test of the run is skipped through a JUnit assumption: reported as skipped,
 * never as passed, and the build does not fail for it.
 */
final class LocalStack {
    static final String IMAGE = "localstack/localstack:4.0";
    static final String NO_DOCKER = "no Docker engine: LocalStack second-opinion suite skipped";

    private LocalStack() {
    }

    private static Boolean docker;

    static AutoCloseable start() {
        synchronized (LocalStack.class) {
            if (docker == null) {
                docker = dockerAvailable();
                if (!docker) {
                    System.out.println(NO_DOCKER);   // once on the console; every test reports it as its skip reason
                }
            }
        }
        Assumptions.assumeTrue(docker, NO_DOCKER);
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(IMAGE))
                .withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.SQS,
                        LocalStackContainer.Service.SNS)
                .withEnv("DEFAULT_REGION", LocalPlatform.REGION);
        container.start();
        return container;
    }

    static URI endpoint(AutoCloseable container) {
        return ((LocalStackContainer) container).getEndpoint();
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
