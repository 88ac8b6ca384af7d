/**
 * Bi-CMR's objective, {@link org.bicmr.training.loss.BiCmrLoss}: SSR, L_m2l, L_l2m, L_cor, L_c, the similarity
 * forms, the pair, quantisation and balance terms of the recommended variant, in each variant's reduction. Uses DJL's
 * arrays and the model package's configuration.
 */
package org.bicmr.training.loss;
