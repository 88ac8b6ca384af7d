/**
 * The baselines: DCMH and PRDH (alternating optimisation over buffered outputs), SSAH and AGAH (as their released
 * code), the linear baseline (ridge regression to the labels plus random hyperplanes) and SimHash, each writing a model
 * directory that {@code bicmr evaluate} reads. Each config record implements {@link
 * org.bicmr.training.model.TrainingConfig} and is the one source of its method's defaults; each trainer implements
 * {@link org.bicmr.training.model.Trainer}, the trained ones on the shared batches and buffers of the training items.
 * Uses DJL, the data and model packages.
 */
package org.bicmr.training.baseline;
