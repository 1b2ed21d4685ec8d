package dev.ioserverless.local.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ioserverless.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local KMS speaking the AWS JSON 1.1 protocol ({@code X-Amz-Target: TrentService.<Action>}),
 * so that the unchanged {@code KmsClient} and the AWS CLI work against it. Symmetric keys only:
 * CreateKey, DescribeKey, ListKeys, Encrypt, Decrypt, GenerateDataKey,
 * GenerateDataKeyWithoutPlaintext, CreateAlias and ListAliases.
 *
 * <p>Each key is 256 bits of random material; a ciphertext is AES-256-GCM under it, with the key
 * id inside the blob (so Decrypt needs no KeyId, as with KMS) and the key id and the encryption
 * context as authenticated data (Decrypt under another context is an InvalidCiphertextException).
 * A KeyId may be a key id, a key ARN, an alias name ({@code alias/...}) or an alias ARN. Keys and
 * aliases live in memory, or in {@code keys.json} (readable by its owner only) under a directory
 * to persist. Plaintexts are never logged.
 */
public final class KmsEmulator implements AutoCloseable {
    static {
        dev.ioserverless.local.runtime.HttpServers.sendAtOnce();
    }

    private static final String TARGET_PREFIX = "TrentService.";
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** KMS's limit on Encrypt's plaintext. */
    public static final int MAX_PLAINTEXT_BYTES = 4096;
    private static final byte BLOB_VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_ID_BYTES = 36;
    private static final Pattern ALIAS_NAME = Pattern.compile("^alias/[a-zA-Z0-9/_-]{1,250}$");
    private static final Pattern KEY_ID = Pattern.compile(
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private record Key(String keyId, byte[] material, Instant created, String description) {
    }

    private record Alias(String name, String targetKeyId, Instant created) {
    }

    private final String region;
    private final String accountId;
    private final Path file;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final Map<String, Alias> aliases = new LinkedHashMap<>();
    private HttpServer server;
    private ExecutorService executor;
    private volatile URI endpoint;

    /** A KMS in memory ({@code directory} null) or persisting its keys under {@code directory}. */
    public KmsEmulator(String region, String accountId, Path directory) throws IOException {
        this.region = Objects.requireNonNull(region, "region");
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        this.file = directory == null ? null : directory.resolve("keys.json");
        if (file != null) {
            Files.createDirectories(directory);
            if (Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
            load();
        }
    }

    public synchronized void start(String host, int port) throws IOException {
        if (server != null) {
            throw new IllegalStateException("KMS emulator already started");
        }
        HttpServer created = HttpServer.create(new InetSocketAddress(host, port), 0);
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "kms-emulator");
            thread.setDaemon(true);
            return thread;
        });
        created.setExecutor(executor);
        created.createContext("/", this::handle);
        created.start();
        server = created;
        endpoint = URI.create("http://" + host + ":" + created.getAddress().getPort());
    }

    public URI endpoint() {
        URI current = endpoint;
        if (current == null) {
            throw new IllegalStateException("KMS emulator not started");
        }
        return current;
    }

    /** Creates a symmetric key, as {@code CreateKey}; answers its key id. */
    public synchronized String createKey(String description) {
        byte[] material = new byte[32];
        random.nextBytes(material);
        Key key = new Key(UUID.randomUUID().toString(), material, Instant.now(), description == null ? "" : description);
        keys.put(key.keyId(), key);
        save();
        return key.keyId();
    }

    /** Points an alias at a key, as {@code CreateAlias}. */
    public synchronized void createAlias(String aliasName, String targetKeyId) {
        if (!ALIAS_NAME.matcher(aliasName).matches() || aliasName.startsWith("alias/aws/")) {
            throw new KmsError("InvalidAliasNameException", "AliasName: alias/ then letters, digits, /, _ or -"
                    + " (alias/aws/ is reserved)");
        }
        if (aliases.containsKey(aliasName)) {
            throw new KmsError("AlreadyExistsException", "An alias with the name arn:aws:kms:" + region + ":"
                    + accountId + ":" + aliasName + " already exists");
        }
        if (targetKeyId.startsWith("alias/") || targetKeyId.startsWith("arn:aws:kms:") && targetKeyId.contains(":alias/")) {
            throw new KmsError("ValidationException", "TargetKeyId: a key id or key ARN, not an alias");
        }
        Key target = key(targetKeyId);
        aliases.put(aliasName, new Alias(aliasName, target.keyId(), Instant.now()));
        save();
    }

    /** The key id an alias points at, or null. */
    public synchronized String aliasTarget(String aliasName) {
        Alias alias = aliases.get(aliasName);
        return alias == null ? null : alias.targetKeyId();
    }

    public String keyArn(String keyId) {
        return "arn:aws:kms:" + region + ":" + accountId + ":key/" + keyId;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                reply(exchange, 400, error("UnknownOperationException", "expected POST with X-Amz-Target TrentService.<Action>"));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_REQUEST_BYTES + 1);
            }
            if (body.length > MAX_REQUEST_BYTES) {
                reply(exchange, 400, error("ValidationException", "request too large"));
                return;
            }
            JsonNode request;
            try {
                request = Json.MAPPER.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
            } catch (IOException e) {
                request = null;
            }
            if (request == null || !request.isObject()) {
                reply(exchange, 400, error("SerializationException", "the body is not a JSON object"));
                return;
            }
            try {
                reply(exchange, 200, dispatch(target.substring(TARGET_PREFIX.length()), request));
            } catch (KmsError e) {
                reply(exchange, 400, error(e.type, e.getMessage()));
            }
        }
    }

    private synchronized ObjectNode dispatch(String action, JsonNode request) {
        return switch (action) {
            case "CreateKey" -> {
                String spec = request.path("KeySpec").asText(request.path("CustomerMasterKeySpec").asText("SYMMETRIC_DEFAULT"));
                String usage = request.path("KeyUsage").asText("ENCRYPT_DECRYPT");
                if (!spec.equals("SYMMETRIC_DEFAULT") || !usage.equals("ENCRYPT_DECRYPT")) {
                    throw new KmsError("UnsupportedOperationException",
                            "the local KMS makes symmetric encryption keys only (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)");
                }
                String keyId = createKey(request.path("Description").asText(""));
                ObjectNode reply = Json.object();
                reply.set("KeyMetadata", metadata(keys.get(keyId)));
                yield reply;
            }
            case "DescribeKey" -> {
                ObjectNode reply = Json.object();
                reply.set("KeyMetadata", metadata(key(keyIdOf(request))));
                yield reply;
            }
            case "ListKeys" -> {
                ObjectNode reply = Json.object();
                ArrayNode list = reply.putArray("Keys");
                for (Key key : keys.values()) {
                    list.addObject().put("KeyId", key.keyId()).put("KeyArn", keyArn(key.keyId()));
                }
                reply.put("Truncated", false);
                yield reply;
            }
            case "Encrypt" -> {
                Key key = key(keyIdOf(request));
                byte[] plaintext = blob(request, "Plaintext");
                if (plaintext.length < 1 || plaintext.length > MAX_PLAINTEXT_BYTES) {
                    throw new KmsError("ValidationException", "1 validation error detected: Value at 'plaintext' failed"
                            + " to satisfy constraint: Member must have length between 1 and " + MAX_PLAINTEXT_BYTES);
                }
                requireSymmetricAlgorithm(request);
                ObjectNode reply = Json.object();
                reply.put("CiphertextBlob", Base64.getEncoder().encodeToString(seal(key, plaintext, context(request))));
                reply.put("KeyId", keyArn(key.keyId()));
                reply.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
                yield reply;
            }
            case "Decrypt" -> {
                byte[] blob = blob(request, "CiphertextBlob");
                requireSymmetricAlgorithm(request);
                String blobKeyId = blobKeyId(blob);
                Key key = keys.get(blobKeyId);
                if (key == null) {
                    throw new KmsError("InvalidCiphertextException", "");
                }
                if (request.hasNonNull("KeyId") && !key(keyIdOf(request)).keyId().equals(blobKeyId)) {
                    throw new KmsError("IncorrectKeyException",
                            "The key ID in the request does not identify a CMK that can perform this operation.");
                }
                ObjectNode reply = Json.object();
                reply.put("KeyId", keyArn(key.keyId()));
                reply.put("Plaintext", Base64.getEncoder().encodeToString(open(key, blob, context(request))));
                reply.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
                yield reply;
            }
            case "GenerateDataKey", "GenerateDataKeyWithoutPlaintext" -> {
                Key key = key(keyIdOf(request));
                int bytes = dataKeyBytes(request);
                byte[] dataKey = new byte[bytes];
                random.nextBytes(dataKey);
                ObjectNode reply = Json.object();
                reply.put("CiphertextBlob", Base64.getEncoder().encodeToString(seal(key, dataKey, context(request))));
                if (action.equals("GenerateDataKey")) {
                    reply.put("Plaintext", Base64.getEncoder().encodeToString(dataKey));
                }
                reply.put("KeyId", keyArn(key.keyId()));
                yield reply;
            }
            case "CreateAlias" -> {
                createAlias(request.path("AliasName").asText(""), request.path("TargetKeyId").asText(""));
                yield Json.object();
            }
            case "ListAliases" -> {
                String only = request.hasNonNull("KeyId") ? key(request.path("KeyId").asText()).keyId() : null;
                ObjectNode reply = Json.object();
                ArrayNode list = reply.putArray("Aliases");
                for (Alias alias : aliases.values()) {
                    if (only == null || only.equals(alias.targetKeyId())) {
                        list.addObject().put("AliasName", alias.name())
                                .put("AliasArn", "arn:aws:kms:" + region + ":" + accountId + ":" + alias.name())
                                .put("TargetKeyId", alias.targetKeyId())
                                .put("CreationDate", alias.created().toEpochMilli() / 1000.0)
                                .put("LastUpdatedDate", alias.created().toEpochMilli() / 1000.0);
                    }
                }
                reply.put("Truncated", false);
                yield reply;
            }
            default -> throw new KmsError("UnsupportedOperationException", "the local KMS does not serve " + action);
        };
    }

    private static String keyIdOf(JsonNode request) {
        String keyId = request.path("KeyId").asText("");
        if (keyId.isEmpty()) {
            throw new KmsError("ValidationException", "KeyId: required, a key id, key ARN, alias name or alias ARN");
        }
        return keyId;
    }

    /** The key a KeyId names: key id, key ARN, alias name or alias ARN. */
    private Key key(String keyId) {
        String id = keyId;
        String arnPrefix = "arn:aws:kms:" + region + ":" + accountId + ":";
        if (id.startsWith("arn:")) {
            if (!id.startsWith(arnPrefix)) {
                throw new KmsError("NotFoundException", "Invalid arn " + keyId);
            }
            id = id.substring(arnPrefix.length());
            if (id.startsWith("key/")) {
                id = id.substring("key/".length());
            } else if (!id.startsWith("alias/")) {
                throw new KmsError("NotFoundException", "Invalid arn " + keyId);
            }
        }
        if (id.startsWith("alias/")) {
            Alias alias = aliases.get(id);
            if (alias == null) {
                throw new KmsError("NotFoundException", "Alias " + arnPrefix + id + " is not found.");
            }
            id = alias.targetKeyId();
        }
        Key key = keys.get(id);
        if (key == null) {
            throw new KmsError("NotFoundException", "Key '" + arnPrefix + "key/" + id + "' does not exist");
        }
        return key;
    }

    private static int dataKeyBytes(JsonNode request) {
        boolean hasSpec = request.hasNonNull("KeySpec");
        boolean hasBytes = request.hasNonNull("NumberOfBytes");
        if (hasSpec == hasBytes) {
            throw new KmsError("ValidationException", "Please specify either number of bytes or key spec.");
        }
        if (hasBytes) {
            int bytes = request.path("NumberOfBytes").asInt(0);
            if (bytes < 1 || bytes > 1024) {
                throw new KmsError("ValidationException", "NumberOfBytes: from 1 to 1024");
            }
            return bytes;
        }
        return switch (request.path("KeySpec").asText()) {
            case "AES_256" -> 32;
            case "AES_128" -> 16;
            default -> throw new KmsError("ValidationException", "KeySpec: AES_256 or AES_128");
        };
    }

    private static void requireSymmetricAlgorithm(JsonNode request) {
        String algorithm = request.path("EncryptionAlgorithm").asText("SYMMETRIC_DEFAULT");
        if (!algorithm.equals("SYMMETRIC_DEFAULT")) {
            throw new KmsError("InvalidKeyUsageException", "EncryptionAlgorithm: a symmetric key takes SYMMETRIC_DEFAULT");
        }
    }

    private static byte[] blob(JsonNode request, String field) {
        JsonNode value = request.path(field);
        if (!value.isTextual()) {
            throw new KmsError("ValidationException", field + ": required");
        }
        try {
            return Base64.getDecoder().decode(value.asText());
        } catch (IllegalArgumentException e) {
            throw new KmsError("SerializationException", field + ": not base64");
        }
    }

    /** The encryption context, sorted by key: the same pairs in any order authenticate the same. */
    private static Map<String, String> context(JsonNode request) {
        Map<String, String> context = new TreeMap<>();
        JsonNode node = request.path("EncryptionContext");
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                context.put(entry.getKey(), entry.getValue().asText());
            }
        } else if (!node.isMissingNode() && !node.isNull()) {
            throw new KmsError("SerializationException", "EncryptionContext: a map of strings");
        }
        return context;
    }

    /** The authenticated data: the key id and the context, each string length-prefixed. */
    private static byte[] aad(String keyId, Map<String, String> context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeString(out, keyId);
        for (Map.Entry<String, String> entry : context.entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    /** version (1) | key id (36 ASCII) | IV (12) | AES-GCM ciphertext and tag. */
    private byte[] seal(Key key, byte[] plaintext, Map<String, String> context) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.material(), "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(key.keyId(), context));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + KEY_ID_BYTES + IV_BYTES + sealed.length)
                    .put(BLOB_VERSION).put(key.keyId().getBytes(StandardCharsets.US_ASCII)).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static String blobKeyId(byte[] blob) {
        if (blob.length < 1 + KEY_ID_BYTES + IV_BYTES + TAG_BITS / 8 || blob[0] != BLOB_VERSION) {
            throw new KmsError("InvalidCiphertextException", "");
        }
        String keyId = new String(blob, 1, KEY_ID_BYTES, StandardCharsets.US_ASCII);
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new KmsError("InvalidCiphertextException", "");
        }
        return keyId;
    }

    private static byte[] open(Key key, byte[] blob, Map<String, String> context) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.material(), "AES"),
                    new GCMParameterSpec(TAG_BITS, blob, 1 + KEY_ID_BYTES, IV_BYTES));
            cipher.updateAAD(aad(key.keyId(), context));
            int offset = 1 + KEY_ID_BYTES + IV_BYTES;
            return cipher.doFinal(blob, offset, blob.length - offset);
        } catch (AEADBadTagException e) {
            throw new KmsError("InvalidCiphertextException", "");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private ObjectNode metadata(Key key) {
        ObjectNode node = Json.object();
        node.put("AWSAccountId", accountId);
        node.put("KeyId", key.keyId());
        node.put("Arn", keyArn(key.keyId()));
        node.put("CreationDate", key.created().toEpochMilli() / 1000.0);
        node.put("Enabled", true);
        node.put("Description", key.description());
        node.put("KeyUsage", "ENCRYPT_DECRYPT");
        node.put("KeyState", "Enabled");
        node.put("Origin", "AWS_KMS");
        node.put("KeyManager", "CUSTOMER");
        node.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
        node.put("KeySpec", "SYMMETRIC_DEFAULT");
        node.putArray("EncryptionAlgorithms").add("SYMMETRIC_DEFAULT");
        node.put("MultiRegion", false);
        return node;
    }

    private void load() throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        JsonNode root = Json.MAPPER.readTree(file.toFile());
        for (JsonNode key : root.path("keys")) {
            keys.put(key.path("key_id").asText(), new Key(key.path("key_id").asText(),
                    Base64.getDecoder().decode(key.path("material").asText()),
                    Instant.parse(key.path("created").asText()), key.path("description").asText("")));
        }
        for (JsonNode alias : root.path("aliases")) {
            aliases.put(alias.path("name").asText(), new Alias(alias.path("name").asText(),
                    alias.path("target_key_id").asText(), Instant.parse(alias.path("created").asText())));
        }
    }

    /** Writes every key and alias to keys.json (0600 from its creation on), when persisting. */
    private void save() {
        if (file == null) {
            return;
        }
        ObjectNode root = Json.object();
        ArrayNode keyList = root.putArray("keys");
        for (Key key : keys.values()) {
            keyList.addObject().put("key_id", key.keyId())
                    .put("material", Base64.getEncoder().encodeToString(key.material()))
                    .put("created", key.created().toString())
                    .put("description", key.description());
        }
        ArrayNode aliasList = root.putArray("aliases");
        for (Alias alias : aliases.values()) {
            aliasList.addObject().put("name", alias.name()).put("target_key_id", alias.targetKeyId())
                    .put("created", alias.created().toString());
        }
        Path tmp = file.resolveSibling("keys.json.tmp");
        try {
            Files.deleteIfExists(tmp);
            if (Files.getFileStore(file.getParent()).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(tmp, Json.write(root));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /** Key ids, for tests and tools. */
    public synchronized List<String> keyIds() {
        return new ArrayList<>(keys.keySet());
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode node = Json.object();
        node.put("__type", type);
        node.put("message", message);
        return node;
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A KMS error: its {@code __type} and message, answered with HTTP 400 as KMS does. */
    public static final class KmsError extends RuntimeException {
        final String type;

        KmsError(String type, String message) {
            super(message);
            this.type = type;
        }

        public String type() {
            return type;
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
            endpoint = null;
        }
    }
}
