package org.bicmr.training.app;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bar of long operations: on standard error, whole lines every 30 s when there is no terminal. */
public final class Progress {
  private Progress() {}

  /** A progress bar of {@code steps} steps named {@code task}. */
  public static ProgressBar bar(String task, long steps) {
    ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).showSpeed();
    if (System.console() == null) { // no terminal (CI, a pipe): whole lines, not carriage returns
      builder.setConsumer(new DelegatingProgressBarConsumer(System.err::println, 150)).setUpdateIntervalMillis(30_000);
    }
    return builder.build();
  }
}
