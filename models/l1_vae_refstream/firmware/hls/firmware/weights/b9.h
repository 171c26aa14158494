//Numpy array shape [8]
//Min -0.722656250000
//Max 0.640625000000
//Number of zeros 0

#ifndef B9_H_
#define B9_H_

namespace l1_vae_refstream {

mu_bias_t b9[8] = {-0.48437500, -0.63671875, 0.64062500, 0.07812500, -0.07812500, 0.53125000, -0.72265625, -0.12500000};

}


#endif
