package dev.ioserverless.common;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Partial batch failures for SQS handlers ({@code ReportBatchItemFailures}): each record is
 * handled on its own, and only the records not done with are reported, so SQS delivers just
 * those again.
 */
public final class SqsBatch {
    private SqsBatch() {
    }

    /**
     * @param done handles one record; true when it is done with (handled, or acknowledged as
     *     unusable), false to have it delivered again
     */
    public static SQSBatchResponse process(SQSEvent event, Predicate<SQSEvent.SQSMessage> done) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        if (event != null && event.getRecords() != null) {
            for (SQSEvent.SQSMessage record : event.getRecords()) {
                if (!done.test(record)) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
                }
            }
        }
        return new SQSBatchResponse(failures);
    }
}
