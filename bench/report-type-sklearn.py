"""
Independent check of the report-type ceiling (issue 7, docs/routing.md, thirteenth pass): scikit-learn models on the
LAPOR! 2017 training file, stratified 5-fold CV on seeds 1 and 2 (scikit-learn's own folds). Exploration only, not
part of the product or of CI. Needs Debian's python3-sklearn (apt-get install python3-sklearn); run with
/usr/bin/python3 bench/report-type-sklearn.py [svm|svmnochar|svmdense|lr|stack ...].
"""
import csv, re, sys, numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline, make_union
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.decomposition import TruncatedSVD
from scipy.sparse import hstack, csr_matrix
rows=[r for r in csv.DictReader(open('/work/shared/data/lapor-2017/train.csv',encoding='utf-8')) if r['report_type']]
X=[(r['title'] or '')+' \n '+(r['text'] or '') for r in rows]
T=[r['title'] or '' for r in rows]
y=np.array([r['report_type'] for r in rows])
def dense(x,t):
    b=x.lower()
    return [b.count('?'), int(b.rstrip().endswith('?')), int('?' in t), len(b), len(re.findall(r'\b(apakah|bagaimana|berapa|kapan|kenapa|mengapa|dimana|bisakah|bolehkah|adakah)\b',b)),
            len(re.findall(r'\b(mohon|minta|tolong)\b',b)), len(re.findall(r'\b(usul|usulan|saran|sebaiknya|seharusnya|harap|berharap|agar|supaya)\b',b)),
            len(re.split(r'(?<=[.?!])\s+',b))]
D=np.array([dense(x,t) for x,t in zip(X,T)],dtype=float)
def feats(kind):
    w=TfidfVectorizer(sublinear_tf=True,ngram_range=(1,2),min_df=2)
    c=TfidfVectorizer(sublinear_tf=True,analyzer='char_wb',ngram_range=(2,5),min_df=2)
    tt=TfidfVectorizer(sublinear_tf=True,min_df=1)
    return w,c,tt
def run(name, make, seeds=(1,2)):
    accs=[]
    for s in seeds:
        skf=StratifiedKFold(5,shuffle=True,random_state=s)
        for tr,te in skf.split(X,y):
            pred=make(tr,te)
            accs.append((pred==y[te]).mean())
    print(f'{name}: {np.mean(accs):.3f} ± {np.std(accs,ddof=1):.3f}', flush=True)
def svm(C=0.3, char=True, title=True, dn=False, model='svm'):
    def make(tr,te):
        w,c,tt=feats(0)
        Xa=[X[i] for i in tr]; Xb=[X[i] for i in te]
        parts_a=[w.fit_transform(Xa)]; parts_b=[w.transform(Xb)]
        if char: parts_a.append(c.fit_transform(Xa)*0.5); parts_b.append(c.transform(Xb)*0.5)
        if title:
            Ta=[T[i] for i in tr]; Tb=[T[i] for i in te]
            parts_a.append(tt.fit_transform(Ta)); parts_b.append(tt.transform(Tb))
        if dn:
            mu=D[tr].mean(0); sd=D[tr].std(0)+1e-9
            parts_a.append(csr_matrix((D[tr]-mu)/sd*0.3)); parts_b.append(csr_matrix((D[te]-mu)/sd*0.3))
        A=hstack(parts_a).tocsr(); B=hstack(parts_b).tocsr()
        m=LinearSVC(C=C,class_weight='balanced') if model=='svm' else LogisticRegression(C=C*10,class_weight='balanced',max_iter=2000)
        m.fit(A,y[tr]); return m.predict(B)
    return make
def stack_hgb(tr,te):
    # OOF SVM decision values on train via inner CV, then HGB on [decision values + dense]
    w,c,tt=feats(0)
    Xa=[X[i] for i in tr]; Xb=[X[i] for i in te]
    A=hstack([w.fit_transform(Xa),c.fit_transform(Xa)*0.5]).tocsr(); B=hstack([w.transform(Xb),c.transform(Xb)*0.5]).tocsr()
    svm_=LinearSVC(C=0.3,class_weight='balanced')
    oof=cross_val_predict(svm_,A,y[tr],cv=StratifiedKFold(5,shuffle=True,random_state=7),method='decision_function')
    svm_.fit(A,y[tr]); dte=svm_.decision_function(B)
    Ftr=np.hstack([oof,D[tr]]); Fte=np.hstack([dte,D[te]])
    h=HistGradientBoostingClassifier(max_iter=200,learning_rate=0.05,max_leaf_nodes=15,l2_regularization=1.0,random_state=0)
    h.fit(Ftr,y[tr]); return h.predict(Fte)
which=sys.argv[1:] or ['svm','svmnochar','svmdense','lr','stack']
if 'svm' in which: run('LinearSVC word1-2 + char_wb2-5 + title, C0.3', svm())
if 'svm1' in which: run('LinearSVC C1', svm(C=1))
if 'svmnochar' in which: run('LinearSVC word1-2 + title', svm(char=False))
if 'svmdense' in which: run('LinearSVC + dense cues', svm(dn=True))
if 'lr' in which: run('LR', svm(model='lr'))
if 'stack' in which: run('stack: SVM OOF decision + dense cues -> HGB', stack_hgb)
