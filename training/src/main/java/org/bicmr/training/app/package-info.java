/**
 * Training as an application: the operations {@link org.bicmr.training.app.Training#train train}, {@link
 * org.bicmr.training.app.Evaluation#evaluate evaluate}, {@link org.bicmr.training.app.Export#export export} and {@link
 * org.bicmr.training.app.Indexing#index index}, each a Java method taking a typed request, which the commands, the
 * demos and {@code bicmr experiment} call (no command builds another's argument strings). One training flow serves
 * every method through the {@link org.bicmr.training.model.Trainer} its {@link
 * org.bicmr.training.model.TrainingConfig} makes. May use every training package below it (data, model, baseline,
 * eval, export, demo), onnx-models and the progress bar; the command line uses it, it never uses the command line.
 */
package org.bicmr.training.app;
