//Numpy array shape [16]
//Min -0.500000000000
//Max 0.250000000000
//Number of zeros 7

#ifndef B6_H_
#define B6_H_

namespace l1_vae_refstream {

enc_1_bias_t b6[16] = {0.0000, 0.0625, 0.0000, 0.0000, 0.1875, -0.1250, 0.1250, -0.2500, 0.0000, 0.0000, 0.0000, -0.5000, 0.2500, 0.0000, -0.5000, -0.2500};

}


#endif
