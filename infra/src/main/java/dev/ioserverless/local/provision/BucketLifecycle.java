package dev.ioserverless.local.provision;

import dev.ioserverless.local.template.Resource;
import dev.ioserverless.local.template.SamTemplate;
import dev.ioserverless.local.template.Stack;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The expiration rules of the template's buckets ({@code LifecycleConfiguration.Rules}), and a run
 * of them. S3 applies lifecycle rules on its own, about once a day; locally they run on request,
 * as of a given instant ({@code POST /_local/s3/lifecycle/run?now=...}).
 *
 * <p>A rule counts when its {@code Status} is {@code Enabled} and it has {@code ExpirationInDays};
 * its scope is {@code Prefix} (CloudFormation's spelling) or, as S3's API spells it,
 * {@code Filter.Prefix} or {@code Filter.And.Prefix}; none means the whole bucket. Rules that filter
 * on tags ({@code TagFilters}) or sizes, and the other actions
 * ({@code AbortIncompleteMultipartUpload}, noncurrent versions, transitions), are not applied.
 * As S3 does, an object expires at the first midnight UTC at or after its last modification plus
 * the rule's days.
 */
public final class BucketLifecycle {
    /** One expiration rule of one bucket. */
    public record Rule(String bucketLogicalId, String bucket, String id, String prefix, int days) {
        /** When an object last modified at {@code lastModified} expires under this rule. */
        public Instant expiry(Instant lastModified) {
            Instant due = lastModified.plus(days, ChronoUnit.DAYS);
            LocalDate day = due.atZone(ZoneOffset.UTC).toLocalDate();
            Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            return midnight.equals(due) ? due : day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
    }

    private final List<Rule> rules;

    public BucketLifecycle(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static BucketLifecycle of(Stack stack) {
        List<Rule> rules = new ArrayList<>();
        for (Resource bucket : stack.template().ofType(SamTemplate.BUCKET)) {
            Map<String, Object> configuration = SamTemplate.map(stack.resolve(bucket.property("LifecycleConfiguration")));
            int index = 0;
            for (Object item : SamTemplate.list(configuration.get("Rules"))) {
                index++;
                Map<String, Object> rule = SamTemplate.map(item);
                if (!"Enabled".equals(String.valueOf(rule.get("Status"))) || rule.get("ExpirationInDays") == null) {
                    continue;
                }
                Map<String, Object> filter = SamTemplate.map(rule.get("Filter"));
                if (!SamTemplate.list(rule.get("TagFilters")).isEmpty() || rule.get("ObjectSizeGreaterThan") != null
                        || rule.get("ObjectSizeLessThan") != null || filter.containsKey("Tag") || filter.containsKey("ObjectSizeGreaterThan")
                        || filter.containsKey("ObjectSizeLessThan") || !SamTemplate.map(filter.get("And")).isEmpty()
                        && !SamTemplate.list(SamTemplate.map(filter.get("And")).get("Tags")).isEmpty()) {
                    continue;
                }
                Object prefix = rule.get("Prefix");
                if (prefix == null) {
                    prefix = filter.get("Prefix");
                }
                if (prefix == null) {
                    prefix = SamTemplate.map(filter.get("And")).get("Prefix");
                }
                rules.add(new Rule(bucket.logicalId(), stack.physicalName(bucket.logicalId()),
                        rule.get("Id") == null ? "rule-" + index : String.valueOf(rule.get("Id")),
                        prefix == null ? "" : String.valueOf(prefix),
                        Integer.parseInt(String.valueOf(rule.get("ExpirationInDays")))));
            }
        }
        return new BucketLifecycle(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Deletes every object that has expired under a rule as of {@code now}; answers how many. */
    public int run(S3Client s3, Instant now) {
        java.util.Set<String> deleted = new java.util.HashSet<>();
        for (Rule rule : rules) {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(rule.bucket()).prefix(rule.prefix())).contents()) {
                if (!now.isBefore(rule.expiry(object.lastModified()))
                        && deleted.add(rule.bucket() + "/" + object.key())) {
                    s3.deleteObject(b -> b.bucket(rule.bucket()).key(object.key()));
                }
            }
        }
        return deleted.size();
    }
}
