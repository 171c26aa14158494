//Numpy array shape [8]
//Min -0.375000000000
//Max 0.500000000000
//Number of zeros 0

#ifndef B9_H_
#define B9_H_

namespace l1_vae_refstream {

mu_bias_t b9[8] = {0.1250, -0.0625, 0.3125, -0.3750, 0.2500, 0.5000, -0.1875, -0.1250};

}


#endif
