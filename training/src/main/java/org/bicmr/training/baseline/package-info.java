/**
 * The baselines: DCMH and PRDH (alternating optimisation over buffered outputs), SSAH and AGAH (as their released
 * code), the linear baseline (ridge regression to the labels plus random hyperplanes) and SimHash, each writing a model
 * directory that {@code bicmr evaluate} reads. Uses DJL, the data and model packages.
 */
package org.bicmr.training.baseline;
