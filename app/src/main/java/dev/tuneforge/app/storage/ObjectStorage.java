package dev.tuneforge.app.storage;

import dev.tuneforge.app.tenancy.TenantContext;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http.Method;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * The app's only door to object storage. Methods named {@code tenant…} check that the key lies
 * under the calling tenant's prefix; the others are for the system (dispatch, catalogue).
 */
@Service
@EnableConfigurationProperties(StorageProperties.class)
public class ObjectStorage {
  private static final Long PART_SIZE = 16L * 1024 * 1024;

  private final MinioClient client;
  private final String bucket;
  private final AtomicInteger openStreams = new AtomicInteger();
  private volatile boolean bucketReady;

  ObjectStorage(StorageProperties properties) {
    this.client =
        MinioClient.builder()
            .endpoint(properties.endpoint())
            .region(properties.region())
            .credentials(properties.accessKey(), properties.secretKey())
            .build();
    this.bucket = properties.bucket();
  }

  public void put(String key, Path file, String contentType) {
    ensureBucket();
    try (InputStream in = Files.newInputStream(file)) {
      client.putObject(
          PutObjectArgs.builder().bucket(bucket).object(key).stream(in, Files.size(file), PART_SIZE)
              .contentType(contentType)
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new StorageException("Could not store " + key, e);
    }
  }

  /**
   * Opens an object for reading; the stream holds a connection to storage until it is closed, so
   * every caller closes it, whatever happens to the reader.
   */
  public InputStream open(String key) {
    InputStream in;
    try {
      in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
    } catch (Exception e) {
      throw new StorageException("Could not read " + key, e);
    }
    openStreams.incrementAndGet();
    return new FilterInputStream(in) {
      private boolean closed;

      @Override
      public void close() throws IOException {
        if (!closed) {
          closed = true;
          openStreams.decrementAndGet();
        }
        super.close();
      }
    };
  }

  /** How many streams {@link #open} handed out are not closed yet (each holds a connection). */
  public int openStreams() {
    return openStreams.get();
  }

  /**
   * Up to {@code length} bytes of an object from {@code offset} with one ranged GET; fewer only at
   * its end, none past it.
   */
  public byte[] read(String key, long offset, int length) {
    if (length == 0) {
      return new byte[0];
    }
    try (InputStream in =
        client.getObject(
            GetObjectArgs.builder()
                .bucket(bucket)
                .object(key)
                .offset(offset)
                .length((long) length)
                .build())) {
      return in.readNBytes(length);
    } catch (ErrorResponseException e) {
      if ("InvalidRange".equals(e.errorResponse().code())) {
        return new byte[0];
      }
      throw new StorageException("Could not read " + key + " at " + offset, e);
    } catch (Exception e) {
      throw new StorageException("Could not read " + key + " at " + offset, e);
    }
  }

  /** Opens an object of the calling tenant; a key of another tenant is refused. */
  public InputStream tenantOpen(String key) {
    requireTenantKey(key);
    return open(key);
  }

  public boolean exists(String key) {
    try {
      client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
      return true;
    } catch (ErrorResponseException e) {
      return false;
    } catch (Exception e) {
      throw new StorageException("Could not look up " + key, e);
    }
  }

  /** Keys under a prefix, recursively, in key order. */
  public List<String> list(String prefix) {
    return new ArrayList<>(sizes(prefix).keySet());
  }

  /** Every object under a prefix, recursively, with its size in bytes, in key order. */
  public Map<String, Long> sizes(String prefix) {
    ensureBucket();
    Map<String, Long> sizes = new TreeMap<>();
    try {
      for (Result<Item> result :
          client.listObjects(
              ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
        Item item = result.get();
        sizes.put(item.objectName(), item.size());
      }
    } catch (Exception e) {
      throw new StorageException("Could not list " + prefix, e);
    }
    return sizes;
  }

  /** Deletes every object under a prefix. */
  public void deleteAll(String prefix) {
    for (String key : list(prefix)) {
      delete(key);
    }
  }

  public List<String> tenantList(String prefix) {
    requireTenantKey(prefix);
    return list(prefix);
  }

  public void delete(String key) {
    try {
      client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
    } catch (Exception e) {
      throw new StorageException("Could not delete " + key, e);
    }
  }

  public String presignGet(String key, Duration validFor) {
    return presign(Method.GET, key, validFor);
  }

  public String presignPut(String key, Duration validFor) {
    ensureBucket();
    return presign(Method.PUT, key, validFor);
  }

  private String presign(Method method, String key, Duration validFor) {
    try {
      return client.getPresignedObjectUrl(
          GetPresignedObjectUrlArgs.builder()
              .method(method)
              .bucket(bucket)
              .object(key)
              .expiry((int) validFor.toSeconds())
              .build());
    } catch (Exception e) {
      throw new StorageException("Could not sign a URL for " + key, e);
    }
  }

  static void requireTenantKey(String key) {
    UUID tenant = TenantContext.requireTenant();
    if (!key.startsWith(ObjectKeys.tenantPrefix(tenant)) || key.contains("..")) {
      throw new SecurityException("That object belongs to another tenant");
    }
  }

  synchronized void ensureBucket() {
    if (bucketReady) {
      return;
    }
    try {
      if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      }
      bucketReady = true;
    } catch (ErrorResponseException e) {
      // Another replica made it between our look and our make.
      if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
        throw new StorageException("Object storage is not reachable: " + e.getMessage(), e);
      }
      bucketReady = true;
    } catch (Exception e) {
      throw new StorageException("Object storage is not reachable: " + e.getMessage(), e);
    }
  }

  /** Object storage failed; the message says which object. */
  public static final class StorageException extends RuntimeException {
    StorageException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
