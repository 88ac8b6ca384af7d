package org.bicmr.opensearch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** JSON (and NDJSON for {@code _bulk}) over HTTP/1.1 to the real node of {@code src/test/real-node/run.sh}. */
final class RealNodeHttp {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final String base;

  RealNodeHttp(String base) {
    this.base = base;
  }

  /** Sends {@code body} (null: none) with {@code method} to {@code path}. */
  HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(method, path, body, null);
  }

  /** Sends {@code body} (null: none) with {@code method} to {@code path}; fails after {@code timeout} (null: never). */
  HttpResponse<String> send(String method, String path, String body, java.time.Duration timeout) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type",
        path.startsWith("/_bulk") ? "application/x-ndjson" : "application/json");
    if (timeout != null) {
      b.timeout(timeout);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A JSON array of the values. */
  static String array(float[] v) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      s.append(i == 0 ? "" : ", ").append(v[i]);
    }
    return s.append(']').toString();
  }
}
