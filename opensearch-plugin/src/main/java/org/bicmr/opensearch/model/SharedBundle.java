package org.bicmr.opensearch.model;

import java.io.IOException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bicmr.onnx.ModelBundle;

/**
 * A loaded bundle held by the registries that serve it: its ONNX Runtime sessions are closed when the last registry
 * holding it is released, that is when no request holds any of them (closing a session while another thread runs it
 * would free memory in use).
 */
final class SharedBundle {
  private static final Logger LOG = LogManager.getLogger(SharedBundle.class);

  private final ModelBundle bundle;
  private final RefCount refs;
  private volatile boolean closed;

  /** Held once, by the caller. */
  SharedBundle(String name, ModelBundle bundle) {
    this.bundle = bundle;
    this.refs = new RefCount("model [" + name + "] version [" + bundle.version() + "]", this::close);
  }

  ModelBundle bundle() {
    return bundle;
  }

  void retain() {
    refs.retain();
  }

  void release() {
    refs.release();
  }

  /** Whether its sessions have been closed. */
  boolean closed() {
    return closed;
  }

  private void close() {
    closed = true;
    try {
      bundle.close();
      LOG.debug("bicmr: closed model [{}] version [{}], no request holds it", bundle.name(), bundle.version());
    } catch (IOException e) {
      LOG.warn("bicmr: closing model [" + bundle.name() + "]: " + e.getMessage(), e);
    }
  }
}
