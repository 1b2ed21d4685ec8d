package dev.ioserverless.documents;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** {@link DocumentBucket} on S3 ({@code DOCUMENTS_BUCKET}), encrypted by the bucket's default. */
public final class S3DocumentBucket implements DocumentBucket {
    static final String UPLOADS = "uploads/";
    static final String KEPT = "documents/";
    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public S3DocumentBucket(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public URI uploadUrl(String id, String contentType, long size, Duration validity) {
        return URI.create(presigner.presignPutObject(b -> b.signatureDuration(validity)
                .putObjectRequest(p -> p.bucket(bucket).key(UPLOADS + id).contentType(contentType).contentLength(size)))
                .url().toString());
    }

    @Override
    public Optional<Stored> upload(String id) {
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket).key(UPLOADS + id));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        byte[] first = new byte[0];
        if (head.contentLength() != null && head.contentLength() > 0) {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(UPLOADS + id)
                    .range("bytes=0-" + (MediaTypes.SIGNATURE_BYTES - 1)));
            first = bytes.asByteArray();
        }
        return Optional.of(new Stored(head.contentLength() == null ? 0 : head.contentLength(), head.contentType(), first));
    }

    @Override
    public boolean kept(String id) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(KEPT + id));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void keep(String id) {
        if (!kept(id)) {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(UPLOADS + id).destinationBucket(bucket).destinationKey(KEPT + id));
        }
        s3.deleteObject(b -> b.bucket(bucket).key(UPLOADS + id));
    }

    @Override
    public byte[] read(String id) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(KEPT + id)).asByteArray();
    }

    @Override
    public URI downloadUrl(String id, String contentType, String name, Duration validity) {
        String disposition = "attachment; filename=\"" + asciiName(name) + "\"; filename*=UTF-8''"
                + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(presigner.presignGetObject(b -> b.signatureDuration(validity)
                .getObjectRequest(g -> g.bucket(bucket).key(KEPT + id).responseContentType(contentType)
                        .responseContentDisposition(disposition))).url().toString());
    }

    private static String asciiName(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? c : '_');
        }
        return out.toString();
    }
}
