package dev.ioserverless.local.emulators;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.shaded.org.eclipse.jetty.server.Connector;
import org.gaul.shaded.org.eclipse.jetty.server.HttpConnectionFactory;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.jclouds.ContextBuilder;
import org.jclouds.apis.ApiMetadata;
import org.jclouds.blobstore.TransientApiMetadata;
import org.jclouds.blobstore.options.CreateContainerOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.domain.Location;
import org.jclouds.domain.LocationBuilder;
import org.jclouds.domain.LocationScope;
import org.jclouds.filesystem.FilesystemApiMetadata;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * S3 in this JVM: S3Proxy in front of a jclouds blobstore, in memory ({@code transient}) or, to
 * persist, {@code filesystem} under a directory. Path-style addressing, and real AWS Signature V4
 * (and V2) authentication, presigned URLs included, for each identity it is given, and no
 * cross-origin access (a bucket's CORS configuration is not applied): every identity
 * reaches the same blobstore, so an object a container function writes is the one the platform
 * reads.
 */
public final class S3Store implements AutoCloseable {
    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;

    private S3Store(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
    }

    /**
     * Starts S3 on {@code host:port} (0 for a free port). {@code credentials} maps each access key
     * accepted to its secret key; {@code directory} is where objects persist, or null to keep them
     * in memory.
     */
    public static S3Store start(String host, int port, String region, Map<String, String> credentials, Path directory)
            throws IOException {
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("S3 needs at least one identity");
        }
        Map<String, String> secrets = Map.copyOf(credentials);
        Properties properties = new Properties();
        // By metadata, not by id: an id makes jclouds load every provider on the class path, and
        // S3Proxy declares Azure and Google Cloud ones whose SDKs are left out of the platform.
        ApiMetadata api = new TransientApiMetadata();
        if (directory != null) {
            Files.createDirectories(directory);
            properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
            api = new FilesystemApiMetadata();
        }
        BlobStoreContext context = ContextBuilder.newBuilder(api)
                .overrides(properties)
                .build(BlobStoreContext.class);
        BlobStore blobStore = new InRegion(context.getBlobStore(), region);
        Map.Entry<String, String> first = secrets.entrySet().iterator().next();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, first.getKey(), first.getValue())
                .jettyMaxThreads(16)
                // The SDK's checksum and session-token headers: S3Proxy refuses headers it does not
                // know unless told to let them pass (they are still covered by the signature).
                .ignoreUnknownHeaders(true)
                // No cross-origin access: S3Proxy would otherwise answer any web page's preflight.
                .corsRules(new CrossOriginResourceSharing(List.of(), List.of(), List.of(), List.of(), ""))
                .build();
        // Each identity with its own secret, all on the one blobstore; an unknown identity gets
        // S3's InvalidAccessKeyId.
        proxy.setBlobStoreLocator((identity, container, blob) -> {
            String secret = identity == null ? null : secrets.get(identity);
            return secret == null ? null : Map.entry(secret, blobStore);
        });
        try {
            keepHeaderValuesAsSent(proxy);
            proxy.start();
        } catch (Exception e) {
            context.close();
            throw new IOException("S3 did not start on " + host + ":" + port, e);
        }
        return new S3Store(proxy, context, URI.create("http://" + host + ":" + proxy.getPort()));
    }

    /**
     * Jetty's parser looks header values up in a cache of common ones, case-insensitively by
     * default, and hands back the cached spelling: {@code Content-Type: text/plain; charset=UTF-8}
     * (what the SDK sends for {@code RequestBody.fromString}) arrives as {@code ...charset=utf-8},
     * and the signature, made over what the client sent, no longer matches. S3Proxy does not expose
     * its (relocated) Jetty, so its connectors are reached by reflection and told to keep values
     * exactly as sent.
     */
    private static void keepHeaderValuesAsSent(S3Proxy proxy) throws ReflectiveOperationException {
        java.lang.reflect.Field field = S3Proxy.class.getDeclaredField("server");
        field.setAccessible(true);
        Server server = (Server) field.get(proxy);
        for (Connector connector : server.getConnectors()) {
            HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
                http.getHttpConfiguration().setHeaderCacheCaseSensitive(true);
            }
        }
    }

    /**
     * The blobstore as one region's S3: the SDK asks for a bucket in its client's region (the
     * CreateBucketConfiguration's LocationConstraint), which S3Proxy accepts only if the blobstore
     * lists that location; all buckets go to the one local store.
     */
    private static final class InRegion extends ForwardingBlobStore {
        private final Location location;

        InRegion(BlobStore delegate, String region) {
            super(delegate);
            this.location = new LocationBuilder().scope(LocationScope.REGION).id(region).description(region).build();
        }

        @Override
        public Set<? extends Location> listAssignableLocations() {
            return Set.of(location);
        }

        @Override
        public boolean createContainerInLocation(Location ignored, String container) {
            return delegate().createContainerInLocation(null, container);
        }

        @Override
        public boolean createContainerInLocation(Location ignored, String container, CreateContainerOptions options) {
            return delegate().createContainerInLocation(null, container, options);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            System.err.println("io-local: stopping S3: " + e);
        } finally {
            context.close();
        }
    }

    @Override
    public String toString() {
        return "S3Store[" + Objects.toString(endpoint) + "]";
    }
}
