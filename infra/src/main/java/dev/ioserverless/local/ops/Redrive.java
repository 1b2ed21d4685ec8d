package dev.ioserverless.local.ops;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Moves dead letters back to the queue they came from, so the pipeline processes them again once
 * the cause of their failure is fixed: each message is sent to the target, with its body and
 * attributes, and deleted from the archive only once the target has it. A message whose send
 * failed stays in the archive (visible again after the receive's visibility timeout) and is
 * counted as not moved. Run again, it moves what is left; a message moved twice is processed
 * twice, which every consumer of this platform takes as one (they are idempotent by message id).
 *
 * <p>{@code java -jar io-local.jar redrive --from <archive queue URL> --to <source queue URL>
 * [--region eu-south-1] [--endpoint-url URL]}: against AWS with the default credential chain, or
 * against the local platform ({@code POST /_local/redrive/{QueueLogicalId}} does the same there,
 * finding the source queue from the template).
 */
public final class Redrive {
    private static final int VISIBILITY_SECONDS = 60;

    private Redrive() {
    }

    /** How many messages went back to the target, and how many could not. */
    public record Result(int moved, int failed) {
    }

    public static Result move(SqsClient sqs, String fromUrl, String toUrl) {
        int moved = 0;
        int failed = 0;
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(fromUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).visibilityTimeout(VISIBILITY_SECONDS)
                    .messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                return new Result(moved, failed);
            }
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Message message = batch.get(i);
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .messageBody(message.body()).messageAttributes(message.messageAttributes()).build());
            }
            SendMessageBatchResponse sent = sqs.sendMessageBatch(b -> b.queueUrl(toUrl).entries(entries));
            Set<String> ok = sent.successful().stream().map(e -> e.id()).collect(Collectors.toSet());
            List<software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (ok.contains(Integer.toString(i))) {
                    deletes.add(software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                            .id(Integer.toString(i)).receiptHandle(batch.get(i).receiptHandle()).build());
                }
            }
            if (!deletes.isEmpty()) {
                sqs.deleteMessageBatch(b -> b.queueUrl(fromUrl).entries(deletes));
            }
            moved += deletes.size();
            failed += batch.size() - deletes.size();
            if (deletes.isEmpty()) {
                // Nothing could be sent: stop rather than spin on the same messages.
                return new Result(moved, failed);
            }
        }
    }

    /** The command line: {@code redrive --from URL --to URL [--region R] [--endpoint-url URL]}. */
    public static void main(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!Set.of("--from", "--to", "--region", "--endpoint-url").contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: redrive --from <queue URL> --to <queue URL> [--region R]"
                        + " [--endpoint-url URL]; unexpected " + args[i]);
            }
            options.put(args[i], args[++i]);
        }
        if (!options.containsKey("--from") || !options.containsKey("--to")) {
            throw new IllegalArgumentException("usage: redrive --from <queue URL> --to <queue URL> [--region R] [--endpoint-url URL]");
        }
        SqsClientBuilder builder = SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        String region = options.getOrDefault("--region", System.getenv().getOrDefault("AWS_REGION", "eu-south-1"));
        builder.region(Region.of(region));
        if (options.containsKey("--endpoint-url")) {
            builder.endpointOverride(URI.create(options.get("--endpoint-url")));
        }
        try (SqsClient sqs = builder.build()) {
            Result result = move(sqs, options.get("--from"), options.get("--to"));
            System.out.println("{\"moved\":" + result.moved() + ",\"failed\":" + result.failed() + "}");
            if (result.failed() > 0) {
                System.exit(1);
            }
        }
    }

}
