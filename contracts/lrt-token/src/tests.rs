fn _p(){}
