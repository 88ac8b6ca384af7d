package org.bicmr.opensearch;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;

/**
 * Sends onnx-models' log records (Java's {@code System.Logger}, backed by java.util.logging) to OpenSearch's Log4j at
 * their own level: otherwise they reach the node's standard error, which OpenSearch logs as warnings (an "INFO: CUDA
 * unavailable" line became a WARN on every CPU node).
 */
final class EncoderLogs extends Handler {
  /**
   * The onnx-models loggers' parent, held strongly: java.util.logging keeps loggers only weakly, so a collected one
   * would come back later without this handler (and its records would reach standard error again).
   */
  private static final java.util.logging.Logger ONNX = java.util.logging.Logger.getLogger("org.bicmr.onnx");

  private EncoderLogs() {}

  /** Installs the handler on the onnx-models loggers, once however many times it is called. */
  static void toLog4j() {
    java.util.logging.Logger jul = ONNX;
    for (Handler h : jul.getHandlers()) {
      if (h instanceof EncoderLogs) {
        return;
      }
    }
    jul.setUseParentHandlers(false);
    jul.addHandler(new EncoderLogs());
  }

  @Override
  public void publish(LogRecord record) {
    int level = record.getLevel().intValue();
    Level target = level >= java.util.logging.Level.SEVERE.intValue() ? Level.ERROR
        : level >= java.util.logging.Level.WARNING.intValue() ? Level.WARN
        : level >= java.util.logging.Level.INFO.intValue() ? Level.INFO : Level.DEBUG;
    String message = record.getParameters() == null || record.getParameters().length == 0 ? record.getMessage()
        : java.text.MessageFormat.format(record.getMessage(), record.getParameters());
    LogManager.getLogger(record.getLoggerName()).log(target, message, record.getThrown());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
